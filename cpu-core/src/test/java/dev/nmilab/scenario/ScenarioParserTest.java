package dev.nmilab.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nmilab.scenario.events.CoreEventTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioParserTest {

    /** An event type a plugin could contribute: the parser must treat it like a core one. */
    static final class BmcDiagEventType implements ScenarioEventType {
        record BmcDiag(int cpu, String severity) implements EventSpec {
        }

        @Override
        public String name() {
            return "bmc-diag";
        }

        @Override
        public List<KeySpec> keys() {
            return List.of(KeySpec.required("severity", "fatal or warning"));
        }

        @Override
        public CpuUse cpuUse() {
            return CpuUse.OPTIONAL;
        }

        @Override
        public EventSpec validate(LocatedMap params, ValidationContext ctx) {
            String severity = ctx.string(params, "severity");
            if (!severity.equals("fatal") && !severity.equals("warning")) {
                throw ctx.expected(params, "severity", "fatal or warning");
            }
            return new BmcDiag(ctx.cpu().orElse(0), severity);
        }
    }

    /** A type that wrongly claims a key every event already has. */
    static final class ReservedKeyEventType implements ScenarioEventType {
        @Override
        public String name() {
            return "greedy";
        }

        @Override
        public List<KeySpec> keys() {
            return List.of(KeySpec.optional("at", "clashes with the trigger"));
        }

        @Override
        public CpuUse cpuUse() {
            return CpuUse.NONE;
        }

        @Override
        public EventSpec validate(LocatedMap params, ValidationContext ctx) {
            throw new UnsupportedOperationException("never registered successfully");
        }
    }

    private static ScenarioParser parserWithPlugin() {
        TreeMap<String, ScenarioEventType> types = new TreeMap<>(CoreEventTypes.byName());
        types.put("bmc-diag", new BmcDiagEventType());
        return new ScenarioParser(TestParsers.PROFILES, types, Map.of());
    }

    private static final String PLUGIN_EVENT = """
            name: plugin-event
            description: a BMC diagnostic interrupt
            events:
              - at: 1s
                type: bmc-diag
                severity: %s
            """;

    @Test
    void pluginEventTypesAreValidatedByTheirOwnCode() {
        Scenario scenario = parserWithPlugin().parse("p.yaml", PLUGIN_EVENT.formatted("fatal"), Optional.empty(), List.of());
        assertEquals(new BmcDiagEventType.BmcDiag(0, "fatal"), scenario.events().getFirst().spec());
    }

    @Test
    void pluginEventTypeErrorsLookLikeCoreOnes() {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> parserWithPlugin().parse("p.yaml", PLUGIN_EVENT.formatted("mild"), Optional.empty(), List.of()));
        assertEquals("p.yaml:6: events[0].severity: expected fatal or warning, got 'mild'", e.getMessage());
    }

    @Test
    void pluginTypesJoinTheKnownTypesList() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> parserWithPlugin().parse("p.yaml", """
                name: x
                description: x
                events:
                  - at: 1s
                    type: bmc
                """, Optional.empty(), List.of()));
        assertEquals("p.yaml:5: events[0].type: unknown event type 'bmc'; known types: bmc-diag, ipi, irq, nmi, sysctl, sysrq", e.getMessage());
    }

    @Test
    void refusesATypeThatUsesAReservedKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScenarioParser(TestParsers.PROFILES, Map.of("greedy", new ReservedKeyEventType()), Map.of()));
        assertEquals("event type 'greedy' declares key 'at', which is reserved or declared twice", e.getMessage());
    }

    @Test
    void refusesATypeRegisteredUnderAnotherName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScenarioParser(TestParsers.PROFILES, Map.of("bmc", new BmcDiagEventType()), Map.of()));
        assertEquals("event type 'bmc-diag' is registered as 'bmc'; the two must be equal and made of lower-case letters, digits and dashes",
                e.getMessage());
    }

    @Test
    void withoutTaskTypesEveryTaskIsUnknown() {
        ScenarioParser parser = new ScenarioParser(TestParsers.PROFILES, CoreEventTypes.byName(), Map.of());
        ScenarioException e = assertThrows(ScenarioException.class, () -> parser.parse("t.yaml", """
                name: x
                description: x
                tasks:
                  - type: bug-kthread
                """, Optional.empty(), List.of()));
        assertEquals("t.yaml:4: tasks[0].type: unknown task type 'bug-kthread'; no task types are registered", e.getMessage());
    }

    @Test
    void defaultProfileMustBeKnownToo() {
        ScenarioParser parser = new ScenarioParser(Set.of("rhel8-4.18.0-348"), CoreEventTypes.byName(), Map.of());
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> parser.parse("t.yaml", "name: x\ndescription: x\n", Optional.empty(), List.of()));
        assertEquals("t.yaml:1: machine.profile: the default kernel profile 'linux-6.1' is not available; known profiles: rhel8-4.18.0-348",
                e.getMessage());
    }

    @Test
    void parseFileResolvesStubsNextToTheFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("entry.S"), "\tiretq\n");
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "name: s\ndescription: s\nstubs: [entry.S]\n");
        Scenario scenario = TestParsers.parser().parseFile(file, List.of());
        assertEquals(List.of(new StubSource.StubFile(dir.resolve("entry.S"))), scenario.stubs());
    }

    @Test
    void parseFileNamesTheFileInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "name: s\ndescription: s\nmachine:\n  cpus: many\n");
        ScenarioException e = assertThrows(ScenarioException.class, () -> TestParsers.parser().parseFile(file, List.of()));
        assertEquals(file + ":4: machine.cpus: expected an integer 1..64, got 'many'", e.getMessage());
    }

    @Test
    void unreadableFilesAreOneLineErrorsToo(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.yaml");
        assertEquals(missing + ": cannot read: no such file",
                assertThrows(ScenarioException.class, () -> TestParsers.parser().parseFile(missing, List.of())).getMessage());
        assertEquals(dir + ": cannot read: it is a directory",
                assertThrows(ScenarioException.class, () -> TestParsers.parser().parseFile(dir, List.of())).getMessage());
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xe9, '\n'});
        assertEquals(latin1 + ": cannot read: not UTF-8 text",
                assertThrows(ScenarioException.class, () -> TestParsers.parser().parseFile(latin1, List.of())).getMessage());
    }

    @Test
    void builtinScenariosNameStubResources() {
        Scenario scenario = TestParsers.parser().parseBuiltin("builtin/iret.yaml",
                "name: iret\ndescription: built in\nstubs: [entry/nmi-iret.S]\n", List.of());
        assertEquals(List.of(new StubSource.StubResource("entry/nmi-iret.S")), scenario.stubs());
        ScenarioException e = assertThrows(ScenarioException.class, () -> TestParsers.parser().parseBuiltin("builtin/iret.yaml",
                "name: iret\ndescription: built in\nstubs: [../secret.S]\n", List.of()));
        assertEquals("builtin/iret.yaml:3: stubs[0]: expected a built-in stub name without / at the start or .., got '../secret.S'", e.getMessage());
    }

    @Test
    void aStubListedTwiceIsAnError() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> TestParsers.parser().parseBuiltin("b.yaml",
                "name: b\ndescription: b\nstubs:\n  - a.S\n  - a.S\n", List.of()));
        assertEquals("b.yaml:5: stubs[1]: 'a.S' is already listed as stubs[0]", e.getMessage());
    }

    @Test
    void registriesAreExposedSorted() {
        ScenarioParser parser = parserWithPlugin();
        assertEquals(List.of("bmc-diag", "ipi", "irq", "nmi", "sysctl", "sysrq"), List.copyOf(parser.eventTypes().keySet()));
        assertEquals(List.of("linux-6.1", "pre-3.3-nmi-entry", "rhel9-5.14.0-285"), List.copyOf(parser.knownProfiles()));
    }

    @Test
    void validateAcceptsAReadyTree() {
        LocatedNode root = LocatedYamlReader.read("v.yaml", "name: v\ndescription: v\nexpect: HALTED\n");
        Scenario scenario = TestParsers.parser().validate(root, Optional.empty());
        assertEquals(Optional.of(Verdict.HALTED), scenario.expect());
        assertInstanceOf(Limits.class, scenario.limits());
    }
}
