package dev.nmilab.nmi;

import static dev.nmilab.nmi.NmiTestKernel.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.event.IretExecuted;
import dev.nmilab.kernel.panic.KernelOutcome;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.x86.Cpu;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * default_do_nmi's non-CPU-specific path (arch/x86/kernel/nmi.c, 6.1): the reason byte of port
 * 0x61 picks pci_serr_error, io_check_error or unknown_nmi_error, and each prints what 6.1 prints.
 * Every NMI here is real: it goes through the IDT into the NMI entry stub, which reads port 0x61
 * with an inb and calls do_nmi.
 */
class NmiReasonMessagesTest {
    private static final String UHHUH = "Uhhuh. NMI received for unknown reason 00 on CPU 0.";
    private static final String DAZED = "Dazed and confused, but trying to continue";
    private static final String SERR = "NMI: PCI system error (SERR) for reason 80 on CPU 0.";
    private static final String IOCK = "NMI: IOCK error (debug interrupt?) for reason 40 on CPU 0.";

    @Test
    void unknownNmiIsDazedAndConfusedAndTheMachineGoesOn() throws Exception {
        try (NmiTestKernel kernel = NmiTestKernel.boot(2)) {
            kernel.platformNmiAt(1 * MS, false, false);

            Scheduler.RunResult result = kernel.runUntil(5 * MS);

            assertEquals(Scheduler.Outcome.TIME_LIMIT, result.outcome());
            assertEquals(List.of(UHHUH, DAZED), kernel.consoleAfterBoot());
            assertEquals(1, kernel.cpu(0).nmisDelivered());
            assertEquals(0, kernel.cpu(1).nmisDelivered());
            assertEquals(1, kernel.nmi.excNmi().nmiCount(0));
            assertEquals(1, kernel.stats(0).unknown());
            assertEquals(0, kernel.stats(0).external());
            assertEquals(KernelOutcome.Ending.NONE, kernel.outcome().ending());
        }
    }

    @Test
    void unknownNmiOnAnotherCpuNamesThatCpu() throws Exception {
        try (NmiTestKernel kernel = NmiTestKernel.boot(2)) {
            kernel.nmiAt(1 * MS, 1);

            kernel.runUntil(3 * MS);

            assertEquals(List.of("Uhhuh. NMI received for unknown reason 00 on CPU 1.", DAZED),
                    kernel.consoleAfterBoot());
            assertEquals(1, kernel.stats(1).unknown());
            assertEquals(0, kernel.stats(0).unknown());
        }
    }

    @Test
    void unknownNmiPanicSysctlPanicsInsteadOfContinuing() throws Exception {
        try (NmiTestKernel kernel = NmiTestKernel.boot(2, "", Map.of("kernel.unknown_nmi_panic", "1"))) {
            kernel.platformNmiAt(1 * MS, false, false);

            Scheduler.RunResult result = kernel.runUntil(5 * MS);

            assertEquals(Scheduler.Outcome.STOPPED, result.outcome());
            List<String> console = kernel.consoleAfterBoot();
            assertEquals(UHHUH, console.get(0));
            assertEquals("Kernel panic - not syncing: NMI: Not continuing", console.get(1));
            assertFalse(console.contains(DAZED), console.toString());
            assertEquals("---[ end Kernel panic - not syncing: NMI: Not continuing ]---", console.getLast());
            assertEquals(0, kernel.outcome().panicCpu());
            assertEquals("NMI: Not continuing", kernel.outcome().panicMessage());
            assertEquals(KernelOutcome.Ending.HALTED, kernel.outcome().ending());
        }
    }

    @Test
    void panicOnUnrecoveredNmiAlsoPanicsOnAnUnknownNmi() throws Exception {
        // unknown_nmi_error: if (unknown_nmi_panic || panic_on_unrecovered_nmi) nmi_panic(...)
        try (NmiTestKernel kernel = NmiTestKernel.boot(2, "", Map.of("kernel.panic_on_unrecovered_nmi", "1"))) {
            kernel.platformNmiAt(1 * MS, false, false);

            kernel.runUntil(5 * MS);

            List<String> console = kernel.consoleAfterBoot();
            assertEquals(List.of(UHHUH, "Kernel panic - not syncing: NMI: Not continuing"), console.subList(0, 2));
            assertEquals("NMI: Not continuing", kernel.outcome().panicMessage());
        }
    }

    @Test
    void serrPrintsItsReasonThenClearsAndDisablesTheSerrLine() throws Exception {
        try (NmiTestKernel kernel = NmiTestKernel.boot(2)) {
            NmiReasonPort port = kernel.nmi.reasonPort();
            kernel.platformNmiAt(1 * MS, true, false);

            kernel.runUntil(2 * MS);

            assertEquals(List.of(SERR, DAZED), kernel.consoleAfterBoot());
            assertEquals(1, kernel.stats(0).external());
            assertEquals(0, kernel.stats(0).unknown());
            // outb((reason & NMI_REASON_CLEAR_MASK) | NMI_REASON_CLEAR_SERR): cleared and kept disabled
            assertEquals(NmiReasonPort.NMI_REASON_CLEAR_SERR, port.reason());
            port.assertSerr();
            assertEquals(0, port.reason() & NmiReasonPort.NMI_REASON_SERR, "a disabled SERR line does not set bit 7");
        }
    }

    @Test
    void serrWhileTheLineIsDisabledIsAnUnknownNmiWithTheClearBitInTheReason() throws Exception {
        try (NmiTestKernel kernel = NmiTestKernel.boot(2)) {
            kernel.platformNmiAt(1 * MS, true, false);
            kernel.platformNmiAt(2 * MS, true, false);

            kernel.runUntil(3 * MS);

            // the second assert is swallowed by the disabled line; port 0x61 reads 0x04 (the clear bit)
            assertEquals(List.of(SERR, DAZED, "Uhhuh. NMI received for unknown reason 04 on CPU 0.", DAZED),
                    kernel.consoleAfterBoot());
        }
    }

    @Test
    void serrIgnoresUnknownNmiPanicButNotPanicOnUnrecoveredNmi() throws Exception {
        try (NmiTestKernel kernel = NmiTestKernel.boot(2, "", Map.of("kernel.unknown_nmi_panic", "1"))) {
            kernel.platformNmiAt(1 * MS, true, false);
            kernel.runUntil(2 * MS);
            assertEquals(List.of(SERR, DAZED), kernel.consoleAfterBoot());
            assertEquals(-1, kernel.outcome().panicCpu());
        }
        try (NmiTestKernel kernel = NmiTestKernel.boot(2, "", Map.of("kernel.panic_on_unrecovered_nmi", "1"))) {
            kernel.platformNmiAt(1 * MS, true, false);
            kernel.runUntil(2 * MS);
            List<String> console = kernel.consoleAfterBoot();
            assertEquals(List.of(SERR, "Kernel panic - not syncing: NMI: Not continuing"), console.subList(0, 2));
            assertFalse(console.contains(DAZED));
            // nmi_panic does not come back: the line is left as the board set it
            assertEquals(NmiReasonPort.NMI_REASON_SERR, kernel.nmi.reasonPort().reason());
        }
    }

    @Test
    void iockPrintsRegistersAndSpendsTwoSecondsInNmiContextThenReenablesTheLine() throws Exception {
        try (NmiTestKernel kernel = NmiTestKernel.boot(2)) {
            kernel.platformNmiAt(1 * MS, false, true);

            kernel.runUntil(2500 * MS);

            List<String> console = kernel.consoleAfterBoot();
            assertEquals(IOCK, console.get(0));
            // show_regs: dump_stack_print_info, __show_regs, then the trace of the interrupted context
            assertEquals("CPU: 0 PID: 0 Comm: swapper/0 Not tainted 6.1.0-nmilab #1", console.get(1));
            assertTrue(console.get(2).startsWith("Hardware name: "), console.get(2));
            assertEquals("RIP: 0010:do_idle", console.get(3));
            assertTrue(console.contains("Call Trace:"), console.toString());
            assertFalse(console.contains(DAZED), "io_check_error does not print Dazed");
            assertEquals(1, kernel.stats(0).external());
            assertEquals(KernelOutcome.Ending.NONE, kernel.outcome().ending());

            // i = 20000; while (--i) udelay(100): 19999 x 100 us with the NMI still executing
            Cpu cpu0 = kernel.cpu(0);
            long delay = 19_999 * 100_000L;
            assertTrue(cpu0.unhaltedNs() >= delay && cpu0.unhaltedNs() < delay + 100_000,
                    "CPU 0 unhalted " + cpu0.unhaltedNs());
            assertTrue(kernel.cpu(1).unhaltedNs() < 1 * MS, "CPU 1 idles: " + kernel.cpu(1).unhaltedNs());
            IretExecuted nmiReturn = kernel.events.events().stream()
                    .filter(e -> e instanceof IretExecuted iret && iret.cpu() == 0 && iret.unblockedNmi())
                    .map(IretExecuted.class::cast).findFirst().orElseThrow();
            assertTrue(nmiReturn.timeNs() >= 1 * MS + delay, "the NMI's iretq came at " + nmiReturn.timeNs());

            // the IOCK line was cleared and then re-enabled: control back to 0, a new assert shows bit 6
            NmiReasonPort port = kernel.nmi.reasonPort();
            assertEquals(0, port.reason());
            port.assertIochk();
            assertEquals(NmiReasonPort.NMI_REASON_IOCHK, port.reason());
        }
    }

    @Test
    void iockWithPanicOnIoNmiPanicsAfterTheRegisters() throws Exception {
        try (NmiTestKernel kernel = NmiTestKernel.boot(2, "", Map.of("kernel.panic_on_io_nmi", "1"))) {
            kernel.platformNmiAt(1 * MS, false, true);

            Scheduler.RunResult result = kernel.runUntil(5 * MS);

            assertEquals(Scheduler.Outcome.STOPPED, result.outcome());
            List<String> console = kernel.consoleAfterBoot();
            int iock = console.indexOf(IOCK);
            int regs = console.indexOf("RIP: 0010:do_idle");
            int panic = console.indexOf("Kernel panic - not syncing: NMI IOCK error: Not continuing");
            assertEquals(0, iock, console.toString());
            assertTrue(iock < regs && regs < panic, console.toString());
            assertEquals("NMI IOCK error: Not continuing", kernel.outcome().panicMessage());
            assertEquals(KernelOutcome.Ending.HALTED, kernel.outcome().ending());
            // no udelay loop after nmi_panic
            assertTrue(kernel.cpu(0).unhaltedNs() < 1 * MS, "CPU 0 unhalted " + kernel.cpu(0).unhaltedNs());
            assertEquals(NmiReasonPort.NMI_REASON_IOCHK, kernel.nmi.reasonPort().reason());
        }
    }

    @Test
    void serrTakesPrecedenceOverIockWhenBothLinesAreSet() throws Exception {
        try (NmiTestKernel kernel = NmiTestKernel.boot(2)) {
            kernel.platformNmiAt(1 * MS, true, true);

            kernel.runUntil(2 * MS);

            // if (reason & NMI_REASON_SERR) pci_serr_error(); else if (reason & NMI_REASON_IOCHK) ...
            assertEquals(List.of("NMI: PCI system error (SERR) for reason c0 on CPU 0.", DAZED),
                    kernel.consoleAfterBoot());
            // only the SERR line was cleared (control 0x04); IOCHK stays asserted for the next NMI
            assertEquals(NmiReasonPort.NMI_REASON_CLEAR_SERR | NmiReasonPort.NMI_REASON_IOCHK,
                    kernel.nmi.reasonPort().reason());
        }
    }
}
