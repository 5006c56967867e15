package dev.nmilab.kernel.panic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.percpu.PerCpuArea;
import dev.nmilab.kernel.preempt.PreemptCount;
import dev.nmilab.kernel.task.Action;
import dev.nmilab.kernel.task.Task;
import dev.nmilab.kernel.task.TaskState;
import dev.nmilab.kernel.testing.BootedKernel;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.x86.Cpu;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * A kthread on CPU 1 calls lkdtm_BUG() (drivers/misc/lkdtm/bugs.c): the ud2 goes through the IDT
 * to exc_invalid_op, report_bug (lib/bug.c) prints the BUG line, die() (arch/x86/kernel/dumpstack.c)
 * the oops, and oops_end decides: panic (kernel/panic.c) or kill the task and carry on.
 */
class OopsAndPanicTest {
    private static final long BUG_AT_NS = 2_000_000;
    private static final String TIMESTAMP = "[    0.002000] ";

    /** Spawn the lkdtm_bug kthread on CPU 1: sleep 2 ms, run {@code beforeBug}, call lkdtm_BUG(). */
    private static Task spawnBugThread(BootedKernel kernel, Runnable beforeBug) {
        long bug = kernel.runtime().symbol("lkdtm_BUG").orElseThrow();
        int[] step = {0};
        return kernel.tasks().spawnKthread("lkdtm_bug", 1, "lkdtm_bug_kthread", context -> switch (step[0]++) {
            case 0 -> new Action.Sleep(BUG_AT_NS);
            case 1 -> {
                beforeBug.run();
                yield new Action.CallGuest(bug);
            }
            default -> new Action.Exit();
        });
    }

    private static List<String> consoleLines(BootedKernel kernel) {
        return Arrays.asList(kernel.runtime().services().printk().consoleText().split("\n"));
    }

    /** The console text without the dmesg timestamps, each of which must be {@code prefix}. */
    private static List<String> textAfter(String prefix, List<String> lines) {
        List<String> text = new ArrayList<>();
        for (String line : lines) {
            assertTrue(line.startsWith(prefix), line);
            text.add(line.substring(prefix.length()));
        }
        return text;
    }

    private static void assertSubsequence(List<String> expected, List<String> actual) {
        int at = 0;
        for (String line : actual) {
            if (at < expected.size() && line.equals(expected.get(at))) {
                at++;
            }
        }
        assertEquals(expected.size(), at, "missing in order: " + (at < expected.size() ? expected.get(at) : "")
                + "\nconsole:\n" + String.join("\n", actual));
    }

    @Test
    void bugWithOopsPanicPrintsTheOopsThenPanicsAndHalts() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(2, "oops=panic panic=0")) {
            spawnBugThread(kernel, () -> { });

            Scheduler.RunResult result = kernel.runUntil(1_000_000_000L);

            List<String> text = textAfter(TIMESTAMP, consoleLines(kernel));
            assertEquals(List.of(
                    "------------[ cut here ]------------",
                    "kernel BUG at drivers/misc/lkdtm/bugs.c:78!",
                    "invalid opcode: 0000 [#1] SMP NOPTI",
                    "CPU: 1 PID: 2 Comm: lkdtm_bug Not tainted 6.1.0-nmilab #1",
                    "Hardware name: nmilab x86-64 machine, BIOS nmilab 0.1.0"), text.subList(0, 5));
            assertTrue(text.get(5).startsWith("RIP: 0010:lkdtm_BUG"), text.get(5));
            assertTrue(text.get(6).startsWith("Code: ") && text.get(6).contains(" <0f> 0b "), text.get(6));
            assertSubsequence(List.of("Call Trace:", " <TASK>", " lkdtm_bug_kthread", " kthread", " ret_from_fork",
                    " </TASK>", "Modules linked in:", "---[ end trace 0000000000000000 ]---"), text);
            assertEquals(List.of(
                    "Kernel panic - not syncing: Fatal exception",
                    "Kernel Offset: disabled",
                    "---[ end Kernel panic - not syncing: Fatal exception ]---"), text.subList(text.size() - 3, text.size()));

            KernelOutcome outcome = kernel.runtime().services().outcome();
            assertEquals(KernelOutcome.Ending.HALTED, outcome.ending());
            assertEquals(1, outcome.panicCpu());
            assertEquals("Fatal exception", outcome.panicMessage());
            assertEquals(Scheduler.Outcome.STOPPED, result.outcome());
            assertEquals("panic", result.stopReason());
            assertTrue(kernel.machine().cpus().stream().allMatch(cpu -> cpu.state() == Cpu.State.HALTED));
        }
    }

    @Test
    void bugWithoutPanicOnOopsKillsTheTaskAndTheMachineRunsOn() throws Exception {
        // oops_end without panic_on_oops and outside interrupt context: make_task_dead(SIGSEGV)
        try (BootedKernel kernel = BootedKernel.boot(2, "")) {
            Task bugger = spawnBugThread(kernel, () -> { });
            List<Long> ticks = new ArrayList<>();
            kernel.tasks().spawnKthread("ticker", 0, "ticker_fn", context -> {
                ticks.add(context.now());
                return ticks.size() > 5 ? new Action.Exit() : new Action.Sleep(1_000_000);
            });
            List<Integer> laterOnCpu1 = new ArrayList<>();
            int[] step = {0};
            kernel.tasks().spawn("later", OptionalInt.empty(), 1, "later_fn", context -> {
                if (step[0]++ == 0) {
                    return new Action.Sleep(4_000_000);
                }
                laterOnCpu1.add(context.processorId());
                return new Action.Exit();
            }, List.of("later_fn", "kthread", "ret_from_fork"));

            Scheduler.RunResult result = kernel.runUntil(10_000_000);

            String console = kernel.runtime().services().printk().consoleText();
            assertTrue(console.contains("kernel BUG at drivers/misc/lkdtm/bugs.c:78!"), console);
            assertTrue(console.contains("---[ end trace 0000000000000000 ]---"), console);
            assertFalse(console.contains("Kernel panic"), console);
            KernelOutcome outcome = kernel.runtime().services().outcome();
            assertEquals(KernelOutcome.Ending.NONE, outcome.ending());
            assertEquals(-1, outcome.panicCpu());
            assertEquals(Scheduler.Outcome.TIME_LIMIT, result.outcome());
            assertEquals(TaskState.DEAD, bugger.state());
            // the other CPU kept its schedule through and after the oops, and CPU 1 runs new work
            assertEquals(List.of(0L, 1_000_000L, 2_000_000L, 3_000_000L, 4_000_000L, 5_000_000L), ticks);
            assertEquals(List.of(1), laterOnCpu1);
            assertTrue(kernel.machine().cpus().stream().allMatch(cpu -> cpu.state() == Cpu.State.RUNNING));
        }
    }

    @Test
    void bugInInterruptContextPanicsEvenWithoutPanicOnOops() throws Exception {
        // oops_end: if (in_interrupt()) panic("Fatal exception in interrupt");
        try (BootedKernel kernel = BootedKernel.boot(2, "")) {
            spawnBugThread(kernel, () -> PerCpuArea.preemptCount(kernel.machine().kernelSpace(), 1)
                    .add(PreemptCount.HARDIRQ_OFFSET));

            kernel.runUntil(1_000_000_000L);

            KernelOutcome outcome = kernel.runtime().services().outcome();
            assertEquals(KernelOutcome.Ending.HALTED, outcome.ending());
            assertEquals("Fatal exception in interrupt", outcome.panicMessage());
            List<String> text = textAfter(TIMESTAMP, consoleLines(kernel));
            assertEquals("---[ end Kernel panic - not syncing: Fatal exception in interrupt ]---",
                    text.get(text.size() - 1));
        }
    }

    @Test
    void panicTimeoutRebootsThatManySecondsAfterThePanic() throws Exception {
        // kernel/panic.c: panic_timeout > 0 prints "Rebooting in %d seconds.." and, after the delay,
        // emergency_restart(); the end marker is never printed
        try (BootedKernel kernel = BootedKernel.boot(2, "oops=panic panic=5")) {
            spawnBugThread(kernel, () -> { });

            Scheduler.RunResult result = kernel.runUntil(6_000_000_000L);

            List<String> text = textAfter(TIMESTAMP, consoleLines(kernel));
            assertEquals(List.of(
                    "Kernel panic - not syncing: Fatal exception",
                    "Kernel Offset: disabled",
                    "Rebooting in 5 seconds.."), text.subList(text.size() - 3, text.size()));
            KernelOutcome outcome = kernel.runtime().services().outcome();
            assertEquals(KernelOutcome.Ending.RESET, outcome.ending());
            assertEquals(1, outcome.panicCpu());
            assertTrue(outcome.panicTimeNs() >= BUG_AT_NS && outcome.panicTimeNs() < BUG_AT_NS + 1_000,
                    "panic at " + outcome.panicTimeNs());
            assertEquals(Scheduler.Outcome.STOPPED, result.outcome());
            assertEquals("reset", result.stopReason());
            assertEquals(outcome.panicTimeNs() + 5_000_000_000L, result.timeNs());
        }
    }
}
