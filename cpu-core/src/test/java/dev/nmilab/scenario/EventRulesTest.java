package dev.nmilab.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.nmilab.scenario.events.IpiDestination;
import dev.nmilab.scenario.events.IpiEvent;
import dev.nmilab.scenario.events.IpiMode;
import dev.nmilab.scenario.events.SysctlWrite;
import dev.nmilab.scenario.events.SysrqEvent;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Triggers, cpu rules and the core event types, one event at a time on a 4-CPU machine. */
class EventRulesTest {

    private static final String HEADER = """
            name: e
            description: one event
            machine:
              cpus: 4
            limits:
              time: 5s
              instructions: 1000000
            events:
            """;

    /** Parses one event written as flow-style YAML on line 9, like {@code {at: 1s, cpu: 0, type: nmi}}. */
    private static ScheduledEvent event(String flowMap) {
        return TestParsers.parser().parse("e.yaml", HEADER + "  - " + flowMap + "\n", Optional.empty(), List.of()).events().getFirst();
    }

    private static String failure(String flowMap) {
        return assertThrows(ScenarioException.class, () -> event(flowMap)).getMessage();
    }

    @Test
    void symbolTriggerCountsDefaultToOne() {
        assertEquals(new EventTrigger.AtSymbol(2, "do_nmi", 1), event("{symbol: do_nmi, cpu: 2, type: nmi}").trigger());
    }

    @Test
    void anEventAtTheTimeLimitIsAllowed() {
        assertEquals(new EventTrigger.AtTime(5_000_000_000L), event("{at: 5s, cpu: 0, type: nmi}").trigger());
    }

    @Test
    void sysctlCanRideAnInstructionTrigger() {
        ScheduledEvent e = event("{insn: 500, cpu: 3, type: sysctl, write: vm.nr_hugepages=4}");
        assertEquals(new EventTrigger.AfterInstructions(3, 500), e.trigger());
        assertEquals(OptionalInt.of(3), e.cpu());
        assertEquals(new SysctlWrite("vm.nr_hugepages", "4"), e.spec());
    }

    @ParameterizedTest(name = "dest {0}")
    @CsvSource({"self, SELF", "all, ALL", "all-but-self, ALL_BUT_SELF"})
    void ipiShorthands(String dest, IpiDestination.Shorthand shorthand) {
        assertEquals(new IpiEvent(1, IpiMode.FIXED, OptionalInt.of(0xfd), shorthand),
                event("{at: 1s, cpu: 1, type: ipi, vector: 0xfd, dest: " + dest + "}").spec());
    }

    @Test
    void ipiToOneCpu() {
        assertEquals(new IpiEvent(0, IpiMode.NMI, OptionalInt.empty(), new IpiDestination.Cpu(3)),
                event("{at: 1s, cpu: 0, type: ipi, mode: nmi, dest: 3}").spec());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "echo 1 > /proc/sys/kernel/panic          | kernel.panic    | 1",
        "echo '30' >/proc/sys/kernel/panic        | kernel.panic    | 30",
        "echo \"2\" > /proc/sys/vm/nr_hugepages   | vm.nr_hugepages | 2",
        "kernel.panic=1                           | kernel.panic    | 1",
        "kernel.panic = 1                         | kernel.panic    | 1",
        "kernel.printk=7 4 1 7                    | kernel.printk   | 7 4 1 7",
    })
    void sysctlWriteForms(String write, String name, String value) {
        assertEquals(new SysctlWrite(name, value), event("{at: 1s, type: sysctl, write: '" + write.replace("'", "''") + "'}").spec());
    }

    @Test
    void sysrqRunsOnCpuZeroUnlessTold() {
        assertEquals(new SysrqEvent('c', 0), event("{at: 1s, type: sysrq, key: c}").spec());
        assertEquals(new SysrqEvent('t', 2), event("{at: 1s, cpu: 2, type: sysrq, key: t}").spec());
    }

    static Stream<Arguments> badEvents() {
        return Stream.of(
                arguments("{at: 1s, type: nmi}",
                        "e.yaml:9: events[0]: missing required key 'cpu' for event type 'nmi'"),
                arguments("{symbol: do_nmi, type: sysrq, key: c}",
                        "e.yaml:9: events[0]: missing required key 'cpu' (a symbol trigger counts on one CPU)"),
                arguments("{at: 1s, count: 2, cpu: 0, type: nmi}",
                        "e.yaml:9: events[0].count: count applies only to a symbol trigger"),
                arguments("{symbol: 1st, cpu: 0, type: nmi}",
                        "e.yaml:9: events[0].symbol: expected a symbol name like bp_handler_done, got '1st'"),
                arguments("{symbol: do_nmi, count: 0, cpu: 0, type: nmi}",
                        "e.yaml:9: events[0].count: expected an integer 1..2147483647, got '0'"),
                arguments("{insn: 0, cpu: 0, type: nmi}",
                        "e.yaml:9: events[0].insn: expected a positive integer, got '0'"),
                arguments("{insn: 2000000, cpu: 0, type: nmi}",
                        "e.yaml:9: events[0].insn: 2000000 is beyond limits.instructions (1000000), so the event would never fire"),
                arguments("{at: 1s, cpu: -1, type: nmi}",
                        "e.yaml:9: events[0].cpu: expected a CPU number, got '-1'"),
                arguments("{at: 1s, cpu: 0}",
                        "e.yaml:9: events[0]: missing required key 'type'"),
                arguments("{at: 1s, cpu: 0, type: [nmi]}",
                        "e.yaml:9: events[0].type: expected an event type name, got a list"),
                arguments("{at: 1s, cpu: 0, type: ipi, dest: 1}",
                        "e.yaml:9: events[0]: missing required key 'vector' (an IPI with mode fixed needs one)"),
                arguments("{at: 1s, cpu: 0, type: ipi, mode: lowest, vector: 64, dest: 1}",
                        "e.yaml:9: events[0].mode: expected fixed or nmi, got 'lowest'"),
                arguments("{at: 1s, cpu: 0, type: ipi, mode: nmi, dest: everyone}",
                        "e.yaml:9: events[0].dest: expected a CPU number, self, all or all-but-self, got 'everyone'"),
                arguments("{at: 1s, cpu: 0, type: ipi, mode: nmi, dest: 4}",
                        "e.yaml:9: events[0].dest: CPU 4 does not exist (machine.cpus is 4)"),
                arguments("{at: 1s, cpu: 0, type: irq, vector: 0x100}",
                        "e.yaml:9: events[0].vector: expected an integer 32..255, got '0x100'"),
                arguments("{at: 1s, type: sysctl, write: kernel.panic}",
                        "e.yaml:9: events[0].write: expected name=value like kernel.panic=1, or echo 1 > /proc/sys/kernel/panic, got 'kernel.panic'"),
                arguments("{at: 1s, type: sysctl, write: panic=1}",
                        "e.yaml:9: events[0].write: expected name=value like kernel.panic=1, or echo 1 > /proc/sys/kernel/panic, got 'panic=1'"),
                arguments("{at: 1s, type: sysrq, key: cc}",
                        "e.yaml:9: events[0].key: expected one SysRq key character 0-9, a-z or A-Z, got 'cc'"),
                arguments("{at: 1s, type: sysrq}",
                        "e.yaml:9: events[0]: missing required key 'key' for event type 'sysrq'"),
                arguments("nmi",
                        "e.yaml:9: events[0]: expected a map, got 'nmi'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEvents")
    void badEventGetsItsMessage(String flowMap, String message) {
        assertEquals(message, failure(flowMap));
    }
}
