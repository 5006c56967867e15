package dev.nmilab.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioOverridesTest {

    private static Scenario full(String... sets) {
        return TestParsers.parseFixture("good", "full.yaml", List.of(sets));
    }

    private static Scenario minimal(String... sets) {
        return TestParsers.parseFixture("good", "minimal.yaml", List.of(sets));
    }

    @Test
    void replacesAScalar() {
        assertEquals(4, full("machine.cpus=4").machine().cpus());
    }

    @Test
    void laterOverridesWin() {
        assertEquals(3, full("machine.cpus=1", "machine.cpus=3").machine().cpus());
    }

    @Test
    void setsTheExpectedVerdict() {
        assertEquals(Optional.of(Verdict.HANG), full("expect=HANG").expect());
        assertEquals(Optional.of(Verdict.SURVIVED), minimal("expect=SURVIVED").expect());
    }

    @Test
    void sysctlNamesKeepTheirDots() {
        List<SysctlSetting> sysctls = full("machine.sysctls.kernel.panic=30").machine().sysctls();
        assertEquals(List.of("kernel.unknown_nmi_panic", "kernel.panic"), sysctls.stream().map(SysctlSetting::name).toList());
        SysctlSetting panic = sysctls.get(1);
        assertEquals("30", panic.value());
        assertEquals(Optional.of("machine.sysctls.kernel.panic=30"), panic.location().override());
    }

    @Test
    void createsMissingMapsOnTheWay() {
        Machine machine = minimal("machine.sysctls.vm.nr_hugepages=8", "limits.time=2s").machine();
        assertEquals(List.of("vm.nr_hugepages"), machine.sysctls().stream().map(SysctlSetting::name).toList());
        assertEquals("8", machine.sysctls().getFirst().value());
        assertEquals(2_000_000_000L, minimal("limits.time=2s").limits().timeNanos());
    }

    @Test
    void appendsToTheCommandLineWithOneSpace() {
        assertEquals("nmi_watchdog=0 console=ttyS0,115200 nmi_watchdog=1 panic=5",
                full("machine.cmdline+=nmi_watchdog=1", "machine.cmdline+=panic=5").machine().cmdline());
        assertEquals("nmi_watchdog=0", minimal("machine.cmdline+=nmi_watchdog=0").machine().cmdline());
    }

    @Test
    void stepsIntoListItems() {
        EventTrigger trigger = full("events[1].at=3s").events().get(1).trigger();
        assertEquals(new EventTrigger.AtTime(3_000_000_000L), trigger);
    }

    @Test
    void leavesTheOriginalTreeAlone() {
        LocatedNode root = LocatedYamlReader.read("full.yaml", TestParsers.fixtureText("good", "full.yaml"));
        LocatedNode again = LocatedYamlReader.read("full.yaml", TestParsers.fixtureText("good", "full.yaml"));
        LocatedNode changed = ScenarioOverrides.applyOverrides(root, List.of("machine.cpus=8"));
        assertEquals(again, root);
        assertNotEquals(root, changed);
    }

    @Test
    void anOverriddenValueIsLocatedAtItsOverride() {
        LocatedMap root = (LocatedMap) ScenarioOverrides.applyOverrides(
                LocatedYamlReader.read("full.yaml", TestParsers.fixtureText("good", "full.yaml")), List.of("machine.cpus=8"));
        LocatedMap machine = (LocatedMap) root.get("machine").orElseThrow();
        assertEquals(LocatedScalar.of("8", SourceLocation.ofOverride("full.yaml", "machine.cpus=8")), machine.get("cpus").orElseThrow());
        // The key itself was in the file, so it keeps the file's position.
        assertEquals(SourceLocation.at("full.yaml", 5, 3), machine.entry("cpus").orElseThrow().keyLocation());
    }

    static Stream<Arguments> badOverrides() {
        return Stream.of(
                arguments("machine.cpus=x", "--set machine.cpus=x: expected an integer 1..64"),
                arguments("machine.cpus=65", "--set machine.cpus=65: expected an integer 1..64"),
                arguments("machine.cpus", "--set machine.cpus: expected KEY=VALUE or KEY+=VALUE"),
                arguments("=4", "--set =4: expected KEY=VALUE or KEY+=VALUE"),
                arguments("machine..cpus=1", "--set machine..cpus=1: expected a dotted key like machine.cpus or events[0].at before '='"),
                arguments("machin.cpus=4", "--set machin.cpus=4: unknown key 'machin' (did you mean 'machine'?)"),
                arguments("machine.cpus.x=1", "--set machine.cpus.x=1: cannot set a key inside machine.cpus, which is not a map"),
                arguments("tasks.x=1", "--set tasks.x=1: cannot set a key inside tasks, which is not a map"),
                arguments("machine+=big", "--set machine+=big: cannot append to machine, which is a map"),
                arguments("events[9].at=1s", "--set events[9].at=1s: events has no item 9 (it has 6)"),
                arguments("name[0]=x", "--set name[0]=x: name is not a list in the scenario"),
                arguments("stubs[0]+=x", "--set stubs[0]+=x: expected an assembler source name ending in .S"),
                arguments("events[0].cpu=5", "--set events[0].cpu=5: CPU 5 does not exist (machine.cpus is 2)"),
                arguments("expect=hang", "--set expect=hang: expected one of VMCORE_SAVED, HANG, RESET, HALTED, SURVIVED"),
                arguments("machine.memory=", "--set machine.memory=: expected a size like 256M, 4G or 1T"));
    }

    @ParameterizedTest(name = "--set {0}")
    @MethodSource("badOverrides")
    void badOverrideNamesItself(String set, String message) {
        ScenarioException e = assertThrows(ScenarioException.class, () -> full(set));
        assertEquals(message, e.getMessage());
        assertEquals(Optional.of(set), e.override());
        assertEquals(0, e.line());
    }

    @Test
    void overrideErrorStillKnowsItsKeyPath() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> full("machine.cpus=x"));
        assertEquals("machine.cpus", e.keyPath());
        assertEquals("full.yaml", e.file());
    }
}
