package dev.nmilab.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.scenario.events.IpiDestination;
import dev.nmilab.scenario.events.IpiEvent;
import dev.nmilab.scenario.events.IpiMode;
import dev.nmilab.scenario.events.IrqEvent;
import dev.nmilab.scenario.events.NmiEvent;
import dev.nmilab.scenario.events.SysctlWrite;
import dev.nmilab.scenario.events.SysrqEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** good/full.yaml uses every key once; every value must arrive in the model as written. */
class FullScenarioTest {

    private final Scenario scenario = TestParsers.parseFixture("good", "full.yaml", List.of());

    @Test
    void topLevel() {
        assertEquals("iret-problem", scenario.name());
        assertEquals("NMI arrives while a breakpoint handler returns with IRET", scenario.description());
        assertEquals(Optional.of(Verdict.VMCORE_SAVED), scenario.expect());
        assertEquals(new Limits(5_000_000_000L, 100_000_000L), scenario.limits());
    }

    @Test
    void machine() {
        Machine machine = scenario.machine();
        assertEquals(2, machine.cpus());
        assertEquals(512L << 20, machine.memoryBytes());
        assertEquals("linux-6.1", machine.profile());
        assertEquals("nmi_watchdog=0 console=ttyS0,115200", machine.cmdline());
        assertEquals(List.of(
                new SysctlSetting("kernel.unknown_nmi_panic", "1", SourceLocation.at("full.yaml", 10, 31)),
                new SysctlSetting("kernel.panic", "10", SourceLocation.at("full.yaml", 11, 19))), machine.sysctls());
    }

    @Test
    void stubsResolveNextToTheScenarioFile() {
        Path expected = TestParsers.fixtureDirectory("good").resolve("nmi-iret-problem.S");
        assertEquals(List.of(new StubSource.StubFile(expected)), scenario.stubs());
    }

    @Test
    void tasks() {
        assertEquals(2, scenario.tasks().size());
        ScenarioTask pinned = scenario.tasks().get(0);
        assertEquals("bug-kthread", pinned.type());
        assertEquals(OptionalInt.of(1), pinned.cpu());
        assertEquals(Optional.of("buggy/1"), pinned.name());
        assertEquals(new BugKthreadTaskType.BugKthread("int3-loop", OptionalLong.empty()), pinned.spec());
        assertEquals(SourceLocation.at("full.yaml", 15, 5), pinned.location());

        ScenarioTask floating = scenario.tasks().get(1);
        assertEquals(OptionalInt.empty(), floating.cpu());
        assertEquals(Optional.empty(), floating.name());
        assertEquals(new BugKthreadTaskType.BugKthread("spin", OptionalLong.of(250_000)), floating.spec());
    }

    @Test
    void eventsKeepFileOrderWithTheirTriggersAndSpecs() {
        List<ScheduledEvent> events = scenario.events();
        assertEquals(6, events.size());

        assertEquals(new ScheduledEvent(new EventTrigger.AtSymbol(1, "bp_handler_done", 3), OptionalInt.of(1), "nmi",
                new NmiEvent(1), SourceLocation.at("full.yaml", 23, 5)), events.get(0));
        assertEquals(new ScheduledEvent(new EventTrigger.AtTime(500_000_000L), OptionalInt.of(0), "irq",
                new IrqEvent(0, 0xec), SourceLocation.at("full.yaml", 27, 5)), events.get(1));
        assertEquals(new ScheduledEvent(new EventTrigger.AfterInstructions(0, 12_345), OptionalInt.of(0), "ipi",
                new IpiEvent(0, IpiMode.NMI, OptionalInt.empty(), IpiDestination.Shorthand.ALL_BUT_SELF),
                SourceLocation.at("full.yaml", 31, 5)), events.get(2));
        assertEquals(new ScheduledEvent(new EventTrigger.AtTime(1_500_000L), OptionalInt.of(1), "ipi",
                new IpiEvent(1, IpiMode.FIXED, OptionalInt.of(251), new IpiDestination.Cpu(0)),
                SourceLocation.at("full.yaml", 36, 5)), events.get(3));
        assertEquals(new ScheduledEvent(new EventTrigger.AtTime(2_000_000_000L), OptionalInt.empty(), "sysctl",
                new SysctlWrite("kernel.panic_on_unrecovered_nmi", "1"), SourceLocation.at("full.yaml", 41, 5)), events.get(4));
        assertEquals(new ScheduledEvent(new EventTrigger.AtTime(1_250_000L), OptionalInt.empty(), "sysrq",
                new SysrqEvent('c', 0), SourceLocation.at("full.yaml", 44, 5)), events.get(5));
    }

    @Test
    void minimalFileGetsEveryDefault() {
        Scenario minimal = TestParsers.parseFixture("good", "minimal.yaml", List.of());
        assertEquals(new Machine(1, 256L << 20, "linux-6.1", "", List.of()), minimal.machine());
        assertEquals(Limits.DEFAULTS, minimal.limits());
        assertEquals(new Limits(10_000_000_000L, 1_000_000_000L), minimal.limits());
        assertTrue(minimal.stubs().isEmpty());
        assertTrue(minimal.tasks().isEmpty());
        assertTrue(minimal.events().isEmpty());
        assertEquals(Optional.empty(), minimal.expect());
    }

    @Test
    void parsingTwiceGivesEqualModels() {
        assertEquals(scenario, TestParsers.parseFixture("good", "full.yaml", List.of()));
    }
}
