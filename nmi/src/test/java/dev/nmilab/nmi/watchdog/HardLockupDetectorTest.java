package dev.nmilab.nmi.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.nmilab.apic.ApicModule;
import dev.nmilab.apic.ApicSubsystem;
import dev.nmilab.kernel.cmdline.KernelCommandLine;
import dev.nmilab.kernel.panic.KernelOutcome;
import dev.nmilab.kernel.profile.KernelModule;
import dev.nmilab.kernel.runtime.KernelIdentity;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.runtime.KernelSubsystem;
import dev.nmilab.kernel.sysctl.Sysctls;
import dev.nmilab.kernel.task.Action;
import dev.nmilab.nmi.NmiModule;
import dev.nmilab.nmi.NmiSubsystem;
import dev.nmilab.nmi.NmiType;
import dev.nmilab.smp.Machine;
import dev.nmilab.x86.Cpu;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The perf hardlockup detector (kernel/watchdog.c, kernel/watchdog_hld.c in 6.1) with
 * watchdog_thresh=1: the PMI comes every second of unhalted time, the watchdog hrtimer (a real
 * local APIC timer interrupt through the IDT at vector 0xec) every 0.4 s; a CPU that spins with
 * interrupts off stops counting hrtimer_interrupts and the next PMIs see it.
 */
class HardLockupDetectorTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final int TIMER = ApicSubsystem.LOCAL_TIMER_VECTOR;
    private static final String LOCKUP = "NMI watchdog: Watchdog detected hard LOCKUP on cpu 1";

    /** Two CPUs booted as the scenario runner boots them, with a kthread spinning on CPU 1 from 500 ms. */
    private record Rig(Machine machine, KernelRuntime runtime, NmiSubsystem nmi, ApicSubsystem apic)
            implements AutoCloseable {
        static Rig boot(String cmdline, boolean spinnerIrqsOff) throws Exception {
            Injector injector = Guice.createInjector(new KernelModule(), new ApicModule(), new NmiModule());
            Sysctls sysctls = Sysctls.linux61();
            sysctls.write("kernel.watchdog_thresh", "1");
            Machine machine = new Machine(2, 64L << 20);
            try {
                KernelRuntime runtime = new KernelRuntime(machine, KernelCommandLine.parse(cmdline), sysctls,
                        KernelIdentity.linux61());
                injector.getInstance(Key.get(new TypeLiteral<Set<KernelSubsystem>>() { })).forEach(runtime::install);
                runtime.loadStubs(List.of());
                runtime.boot(Optional.empty());
                int[] step = {0};
                runtime.services().scheduler().spawnKthread("spinner", 1, "busy_loop_fn", ctx -> switch (step[0]++) {
                    case 0 -> new Action.Sleep(500 * MS);
                    case 1 -> {
                        if (spinnerIrqsOff) {
                            ctx.localIrqDisable();
                        }
                        yield new Action.Busy(Long.MAX_VALUE);
                    }
                    default -> new Action.Exit();
                });
                return new Rig(machine, runtime, injector.getInstance(NmiSubsystem.class),
                        injector.getInstance(ApicSubsystem.class));
            } catch (RuntimeException e) {
                machine.close();
                throw e;
            }
        }

        void runUntil(long timeNs) {
            machine.scheduler().run(timeNs, Long.MAX_VALUE);
        }

        List<String> console() {
            return runtime.services().printk().consoleText().lines()
                    .map(line -> line.substring(line.indexOf("] ") + 2)).toList();
        }

        long count(String text) {
            return console().stream().filter(text::equals).count();
        }

        KernelOutcome outcome() {
            return runtime.services().outcome();
        }

        long pmis(int cpu) {
            return apic.bus().perfCounter(cpu).pmisDelivered();
        }

        @Override
        public void close() {
            machine.close();
        }
    }

    @Test
    void busyLoopWithInterruptsOnIsNoLockup() throws Exception {
        try (Rig rig = Rig.boot("", false)) {
            rig.runUntil(5 * S);

            HardLockupDetector watchdog = rig.nmi().watchdog();
            assertNotNull(watchdog);
            assertEquals("NMI watchdog: Enabled. Permanently consumes one hw-PMU counter.", rig.console().get(0));
            assertEquals(1, rig.console().size(), rig.console().toString());
            assertEquals(0, watchdog.lockupsDetected());
            // the check did run: about 4.5 s of unhalted time on CPU 1, one PMI a second
            assertTrue(rig.pmis(1) >= 4, "PMIs on CPU 1: " + rig.pmis(1));
            Cpu cpu1 = rig.machine().cpu(1);
            assertTrue(cpu1.delivered(TIMER) >= 12, "timer interrupts on CPU 1: " + cpu1.delivered(TIMER));
            assertEquals(cpu1.delivered(TIMER), watchdog.hrtimerInterrupts(1));
            assertEquals(rig.pmis(1), cpu1.nmisDelivered());
        }
    }

    @Test
    void spinWithInterruptsOffIsReportedOnceWithoutPanicUnderNopanic() throws Exception {
        try (Rig rig = Rig.boot("nmi_watchdog=nopanic", true)) {
            Cpu cpu0 = rig.machine().cpu(0);
            Cpu cpu1 = rig.machine().cpu(1);
            rig.runUntil(600 * MS);
            long timerBeforeSpin = cpu1.delivered(TIMER);
            long cpu0Timer = cpu0.delivered(TIMER);
            assertEquals(1, timerBeforeSpin, "the 400 ms tick came in while IF=1");
            assertFalse(cpu1.interruptsEnabled());

            rig.runUntil(5 * S);

            assertEquals(1, rig.count(LOCKUP), rig.console().toString());
            List<String> console = rig.console();
            int at = console.indexOf(LOCKUP);
            assertEquals("Modules linked in:", console.get(at + 1));
            assertTrue(console.get(at + 2).startsWith("CPU: 1 PID: 2 Comm: spinner "), console.get(at + 2));
            assertTrue(console.contains("RIP: 0010:busy_loop_fn"), console.toString());
            assertFalse(console.stream().anyMatch(line -> line.startsWith("Kernel panic")), console.toString());
            assertEquals(-1, rig.outcome().panicCpu());
            assertEquals(KernelOutcome.Ending.NONE, rig.outcome().ending());
            assertEquals(1, rig.nmi().watchdog().lockupsDetected());
            // later PMIs kept finding the lockup but hard_watchdog_warn kept them quiet
            assertTrue(rig.pmis(1) >= 3, "PMIs on CPU 1: " + rig.pmis(1));
            assertEquals(Cpu.State.RUNNING, cpu1.state());
            // no timer interrupt went through the IDT on CPU 1 while IF=0; CPU 0 kept ticking
            assertEquals(timerBeforeSpin, cpu1.delivered(TIMER));
            assertEquals(timerBeforeSpin, rig.nmi().watchdog().hrtimerInterrupts(1));
            assertTrue(cpu0.delivered(TIMER) >= cpu0Timer + 10, "CPU 0 timer: " + cpu0.delivered(TIMER));
            assertEquals(cpu0.delivered(TIMER), rig.nmi().watchdog().hrtimerInterrupts(0));
        }
    }

    @Test
    void spinWithInterruptsOffPanicsUnderNmiWatchdogPanic() throws Exception {
        try (Rig rig = Rig.boot("nmi_watchdog=panic", true)) {
            rig.runUntil(5 * S);

            List<String> console = rig.console();
            int lockup = console.indexOf(LOCKUP);
            int panic = console.indexOf("Kernel panic - not syncing: Hard LOCKUP");
            assertTrue(lockup > 0 && panic > lockup, console.toString());
            assertEquals(1, rig.outcome().panicCpu());
            assertEquals("Hard LOCKUP", rig.outcome().panicMessage());
            assertEquals(KernelOutcome.Ending.HALTED, rig.outcome().ending());
            // the spinner started at 0.5 s; the first PMI saves the count, the second finds it unchanged
            long panicAt = rig.outcome().panicTimeNs();
            assertTrue(panicAt > 1500 * MS && panicAt < 3 * S, "panic at " + panicAt);
        }
    }

    @Test
    void nmiWatchdogZeroStartsNoDetectorAndNoPmis() throws Exception {
        try (Rig rig = Rig.boot("nmi_watchdog=0", true)) {
            rig.runUntil(3 * S);

            assertNull(rig.nmi().watchdog());
            List<String> console = rig.console();
            assertFalse(console.stream().anyMatch(line -> line.startsWith("NMI watchdog:")), console.toString());
            assertFalse(rig.nmi().handlers().names(NmiType.NMI_LOCAL).contains("PMI"));
            for (int cpu = 0; cpu < 2; cpu++) {
                assertFalse(rig.apic().bus().perfCounter(cpu).enabled());
                assertEquals(0, rig.pmis(cpu));
                assertEquals(0, rig.machine().cpu(cpu).nmisDelivered());
            }
            assertEquals(-1, rig.outcome().panicCpu());
        }
    }
}
