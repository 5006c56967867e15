package dev.nmilab.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each broken fixture under broken/ and the exact one-line message it must get. */
class BrokenScenarioMessagesTest {

    static Stream<Arguments> brokenFiles() {
        return Stream.of(
                arguments("syntax-error.yaml",
                        "syntax-error.yaml:5: YAML syntax error at column 11: mapping values are not allowed here"),
                arguments("tab-indent.yaml",
                        "tab-indent.yaml:3: YAML syntax error at column 1: found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation)"),
                arguments("empty.yaml",
                        "empty.yaml:1: the file is empty (a scenario needs at least name and description)"),
                arguments("only-comment.yaml",
                        "only-comment.yaml:1: the file is empty (a scenario needs at least name and description)"),
                arguments("top-level-list.yaml",
                        "top-level-list.yaml:1: expected a map of scenario keys at the top level, got a list"),
                arguments("two-documents.yaml",
                        "two-documents.yaml:4: a scenario file holds one YAML document, found a second one"),
                arguments("duplicate-key.yaml",
                        "duplicate-key.yaml:6: machine.cpus: duplicate key 'cpus' (first at line 4)"),
                arguments("alias.yaml",
                        "alias.yaml:5: limits: YAML aliases are not supported (found *box)"),
                arguments("missing-name.yaml",
                        "missing-name.yaml:1: missing required key 'name'"),
                arguments("bad-name.yaml",
                        "bad-name.yaml:1: name: expected a name of lower-case letters, digits and dashes, got 'Iret Problem'"),
                arguments("unknown-key-suggestion.yaml",
                        "unknown-key-suggestion.yaml:3: evnts: unknown key 'evnts' (did you mean 'events'?)"),
                arguments("unknown-key-no-suggestion.yaml",
                        "unknown-key-no-suggestion.yaml:5: machine.colour: unknown key 'colour' (known keys: cmdline, cpus, memory, profile, sysctls)"),
                arguments("event-key-suggestion.yaml",
                        "event-key-suggestion.yaml:7: events[0].vectr: unknown key 'vectr' (did you mean 'vector'?)"),
                arguments("bad-duration.yaml",
                        "bad-duration.yaml:12: events[2].at: expected a duration like 2s, 1500us or 250ns, got 'soon'"),
                arguments("fractional-microseconds.yaml",
                        "fractional-microseconds.yaml:4: events[0].at: expected a duration like 2s, 1500us or 250ns (decimals only with s or ms), got '1.5us'"),
                arguments("bad-size.yaml",
                        "bad-size.yaml:4: machine.memory: expected a size like 256M, 4G or 1T, got '256MB'"),
                arguments("memory-too-small.yaml",
                        "memory-too-small.yaml:4: machine.memory: expected a size 16M..1T, got '8M'"),
                arguments("cpus-out-of-range.yaml",
                        "cpus-out-of-range.yaml:4: machine.cpus: expected an integer 1..64, got '65'"),
                arguments("unknown-profile.yaml",
                        "unknown-profile.yaml:4: machine.profile: unknown kernel profile 'linux-2.4'; known profiles: linux-6.1, pre-3.3-nmi-entry, rhel9-5.14.0-285"),
                arguments("event-cpu-out-of-range.yaml",
                        "event-cpu-out-of-range.yaml:7: events[0].cpu: CPU 4 does not exist (machine.cpus is 2)"),
                arguments("two-triggers.yaml",
                        "two-triggers.yaml:5: events[0]: two triggers 'at' and 'insn': give exactly one of at, insn or symbol"),
                arguments("no-trigger.yaml",
                        "no-trigger.yaml:4: events[0]: missing trigger: give one of at, insn or symbol"),
                arguments("unknown-event-type.yaml",
                        "unknown-event-type.yaml:6: events[0].type: unknown event type 'smi'; known types: ipi, irq, nmi, sysctl, sysrq"),
                arguments("irq-vector-out-of-range.yaml",
                        "irq-vector-out-of-range.yaml:7: events[0].vector: expected an integer 32..255, got '16'"),
                arguments("irq-without-vector.yaml",
                        "irq-without-vector.yaml:4: events[0]: missing required key 'vector' for event type 'irq'"),
                arguments("ipi-nmi-with-vector.yaml",
                        "ipi-nmi-with-vector.yaml:10: events[0].vector: an IPI with mode nmi takes no vector"),
                arguments("sysctl-event-with-cpu.yaml",
                        "sysctl-event-with-cpu.yaml:5: events[0].cpu: event type 'sysctl' takes no cpu (only an insn or symbol trigger would use one)"),
                arguments("insn-without-cpu.yaml",
                        "insn-without-cpu.yaml:4: events[0]: missing required key 'cpu' (an insn trigger counts on one CPU)"),
                arguments("event-after-time-limit.yaml",
                        "event-after-time-limit.yaml:6: events[0].at: 6s is after limits.time (5s), so the event would never fire"),
                arguments("unknown-task-type.yaml",
                        "unknown-task-type.yaml:4: tasks[0].type: unknown task type 'bug-kthred'; known types: bug-kthread"),
                arguments("bad-expect.yaml",
                        "bad-expect.yaml:3: expect: expected one of VMCORE_SAVED, HANG, RESET, HALTED, SURVIVED, got 'CRASHED'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void brokenFileGetsItsOneLineMessage(String file, String expectedMessage) {
        ScenarioException e = assertThrows(ScenarioException.class, () -> TestParsers.parseFixture("broken", file, List.of()));
        assertEquals(expectedMessage, e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "message must be one line");
    }

    @Test
    void missingStubNamesTheResolvedPath() {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> TestParsers.parseFixture("broken", "missing-stub.yaml", List.of()));
        assertEquals("missing-stub.yaml:4: stubs[0]: no such file: "
                + TestParsers.fixtureDirectory("broken").resolve("no-such-stub.S"), e.getMessage());
    }

    @Test
    void exceptionCarriesLineColumnAndKeyPathSeparately() {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> TestParsers.parseFixture("broken", "bad-duration.yaml", List.of()));
        assertEquals("bad-duration.yaml", e.file());
        assertEquals(12, e.line());
        assertEquals(9, e.column());
        assertEquals("events[2].at", e.keyPath());
        assertEquals("expected a duration like 2s, 1500us or 250ns, got 'soon'", e.problem());
    }

    @Test
    void syntaxErrorKeepsTheParserPosition() {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> TestParsers.parseFixture("broken", "syntax-error.yaml", List.of()));
        assertEquals(5, e.line());
        assertEquals(11, e.column());
        assertEquals("", e.keyPath());
    }

    @Test
    void everyBrokenFixtureIsInTheTable() throws Exception {
        List<String> inTable = brokenFiles().map(a -> (String) a.get()[0]).sorted().toList();
        List<String> onDisk;
        try (Stream<Path> files = Files.list(TestParsers.fixtureDirectory("broken"))) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("missing-stub.yaml")).sorted().toList();
        }
        assertEquals(onDisk, inTable);
    }
}
