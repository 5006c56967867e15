package dev.nmilab.kernel.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.percpu.PerCpuArea;
import dev.nmilab.kernel.testing.BootedKernel;
import dev.nmilab.memory.GuestMemory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The runtime's task scheduler (a small kernel/sched/core.c) on a real two-CPU machine: virtual
 * time of sleeps and wake-ups, FIFO runqueues without timer preemption, migration of sleeping
 * tasks, and the per-CPU state a task sees after it moved.
 */
class KernelSchedulerTest {
    private static final long QUANTUM = 10_000; // the machine scheduler's default window

    /** What a task body saw when it was called: which step, when, on which CPU. */
    record Seen(String task, int step, long timeNs, int cpu) {
    }

    /** A body that records every call and then does the next of {@code actions} (Exit after the last). */
    private static TaskBody script(List<Seen> log, String name, Action... actions) {
        int[] step = {0};
        return context -> {
            int index = step[0]++;
            log.add(new Seen(name, index, context.now(), context.processorId()));
            return index < actions.length ? actions[index] : new Action.Exit();
        };
    }

    /** CPUs run one after the other inside a window, so across CPUs compare in virtual-time order. */
    private static List<Seen> inTimeOrder(List<Seen> log) {
        return log.stream().sorted(Comparator.comparingLong(Seen::timeNs).thenComparingInt(Seen::cpu)).toList();
    }

    private static Task spawnUnbound(BootedKernel kernel, String comm, int cpu, TaskBody body) {
        return kernel.tasks().spawn(comm, OptionalInt.empty(), cpu, comm + "_fn", body,
                List.of(comm + "_fn", "kthread", "ret_from_fork"));
    }

    @Test
    void migratedTaskSeesPreemptCountOfItsNewCpu() throws Exception {
        // arch/x86/include/asm/preempt.h: __preempt_count is a per-CPU variable, not a task field;
        // __switch_to does not carry it, so a task that moved reads the new CPU's word.
        try (BootedKernel kernel = BootedKernel.boot(2, "")) {
            GuestMemory memory = kernel.machine().kernelSpace();
            PerCpuArea.preemptCount(memory, 0).set(2);
            PerCpuArea.preemptCount(memory, 1).set(5);
            List<int[]> seen = new ArrayList<>(); // {cpu, preempt_count, current pid in the per-CPU area}
            int[] step = {0};
            Task mover = spawnUnbound(kernel, "mover", 0, context -> {
                int cpu = context.processorId();
                seen.add(new int[] {cpu, PerCpuArea.preemptCount(memory, cpu).value(),
                        (int) memory.readLong(PerCpuArea.base(cpu) + PerCpuArea.CURRENT_PID)});
                return step[0]++ == 0 ? new Action.Sleep(50_000) : new Action.Exit();
            });
            kernel.machine().scheduler().at(20_000, () -> {
                assertEquals(TaskState.UNINTERRUPTIBLE, mover.state());
                kernel.tasks().migrate(mover, 1);
            });

            kernel.runUntil(100_000);

            assertEquals(2, seen.size());
            assertEquals(List.of(0, 2, mover.pid()), List.of(seen.get(0)[0], seen.get(0)[1], seen.get(0)[2]));
            assertEquals(List.of(1, 5, mover.pid()), List.of(seen.get(1)[0], seen.get(1)[1], seen.get(1)[2]));
            assertEquals(1, mover.cpu());
            assertEquals(TaskState.DEAD, mover.state());
            // neither CPU's count travelled with the task
            assertEquals(2, PerCpuArea.preemptCount(memory, 0).value());
            assertEquals(5, PerCpuArea.preemptCount(memory, 1).value());
        }
    }

    @Test
    void twoTasksOnOneCpuSleepAndWakeAtExactVirtualTimes() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(2, "")) {
            assertEquals(QUANTUM, kernel.machine().scheduler().quantum());
            List<Seen> log = new ArrayList<>();
            spawnUnbound(kernel, "a", 0, script(log, "a", new Action.Sleep(30_000), new Action.Sleep(5_000)));
            spawnUnbound(kernel, "b", 0, script(log, "b", new Action.Sleep(25_000), new Action.Busy(7_000)));

            kernel.runUntil(100_000);

            assertEquals(List.of(
                    new Seen("a", 0, 0, 0), // FIFO: spawned first, runs first
                    new Seen("b", 0, 0, 0), // a slept, so b runs at once
                    new Seen("b", 1, 25_000, 0), // timer wake-ups land exactly at their time
                    // a woke at 30 us, but b keeps the CPU until its 7 us of work end: no preemption
                    new Seen("b", 2, 32_000, 0),
                    new Seen("a", 1, 32_000, 0),
                    // a asked to wake at 37 us, inside the window [30 us, 40 us) already running: a
                    // timer set during a window fires at its end, so sleeps have quantum granularity
                    new Seen("a", 2, 40_000, 0)), log);
            assertTrue(kernel.tasks().tasks().stream().allMatch(t -> t.state() == TaskState.DEAD));
        }
    }

    @Test
    void sleepingTaskMigratedToIdleCpuRunsThereWithoutWaitingForTheBusyOne() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(2, "")) {
            List<Seen> log = new ArrayList<>();
            Task a = spawnUnbound(kernel, "a", 0, script(log, "a", new Action.Sleep(30_000), new Action.Sleep(20_000)));
            spawnUnbound(kernel, "b", 0, script(log, "b", new Action.Sleep(25_000), new Action.Busy(7_000)));
            kernel.machine().scheduler().at(28_000, () -> kernel.tasks().migrate(a, 1));

            kernel.runUntil(100_000);

            assertEquals(List.of(
                    new Seen("a", 0, 0, 0),
                    new Seen("b", 0, 0, 0),
                    new Seen("b", 1, 25_000, 0),
                    new Seen("a", 1, 30_000, 1), // woke on CPU 1: not stuck behind b's busy work
                    new Seen("b", 2, 32_000, 0),
                    new Seen("a", 2, 50_000, 1)), inTimeOrder(log));
            assertEquals(List.of(0, 1, 2), log.stream().filter(s -> s.task().equals("a")).map(Seen::step).toList());
        }
    }

    @Test
    void runnableTaskMigratedBeforeItRanStartsOnTheNewCpu() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(2, "")) {
            List<Seen> log = new ArrayList<>();
            spawnUnbound(kernel, "first", 0, script(log, "first", new Action.Busy(5_000)));
            Task second = spawnUnbound(kernel, "second", 0, script(log, "second"));
            kernel.tasks().migrate(second, 1);

            kernel.runUntil(20_000);

            assertEquals(List.of(new Seen("first", 0, 0, 0), new Seen("second", 0, 0, 1), new Seen("first", 1, 5_000, 0)),
                    inTimeOrder(log));
        }
    }

    @Test
    void boundKthreadRefusesMigrationToAnotherCpu() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(2, "")) {
            Task bound = kernel.tasks().spawnKthread("pinned", 0, "pinned_fn", context -> new Action.Sleep(1_000_000));
            kernel.runUntil(5_000);
            assertEquals(TaskState.UNINTERRUPTIBLE, bound.state());

            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> kernel.tasks().migrate(bound, 1));
            assertTrue(refused.getMessage().contains("bound to CPU 0"), refused.getMessage());
            assertEquals(0, bound.cpu());
            kernel.tasks().migrate(bound, 0); // staying where it is bound is allowed
            assertEquals(0, bound.cpu());
        }
    }

    @Test
    void runningTaskCannotBeMigrated() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(2, "")) {
            List<RuntimeException> thrown = new ArrayList<>();
            spawnUnbound(kernel, "runner", 0, context -> {
                try {
                    kernel.tasks().migrate(context.task(), 1);
                } catch (IllegalStateException e) {
                    thrown.add(e);
                }
                return new Action.Exit();
            });
            kernel.runUntil(5_000);

            assertEquals(1, thrown.size());
            assertTrue(thrown.get(0).getMessage().contains("migrate it while it sleeps"), thrown.get(0).getMessage());
        }
    }
}
