package dev.nmilab.kernel.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.task.Action;
import dev.nmilab.kernel.task.Task;
import dev.nmilab.kernel.task.TaskState;
import dev.nmilab.kernel.testing.BootedKernel;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two CPUs each holding one raw spinlock and spinning on the other's (the ABBA deadlock lockdep
 * warns about, kernel/locking/lockdep.c): the hang detector must name both waits and both owners.
 */
class HangDetectorTest {
    /** Shorter than the hold time, so each CPU takes its first lock before the other asks for it. */
    private static final long QUANTUM = 500;
    private static final long HOLD_NS = 1_000;

    /** raw_spin_lock(first); work HOLD_NS; raw_spin_lock(second); unlock both; exit. */
    private static Task lockInOrder(BootedKernel kernel, String comm, int cpu, RawSpinLock first, RawSpinLock second) {
        int[] step = {0};
        return kernel.tasks().spawnKthread(comm, cpu, comm + "_fn", context -> switch (step[0]++) {
            case 0 -> new Action.Acquire(first);
            case 1 -> new Action.Busy(HOLD_NS);
            case 2 -> new Action.Acquire(second);
            case 3 -> {
                second.unlock(context.processorId());
                first.unlock(context.processorId());
                yield new Action.Exit();
            }
            default -> new Action.Exit();
        });
    }

    @Test
    void locksTakenInOppositeOrderOnTwoCpusAreReportedAsAWaitCycle() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(2, "")) {
            kernel.machine().scheduler().setQuantum(QUANTUM);
            RawSpinLock a = new RawSpinLock("lock_a");
            RawSpinLock b = new RawSpinLock("lock_b");
            Task ab = lockInOrder(kernel, "ab_thread", 0, a, b);
            Task ba = lockInOrder(kernel, "ba_thread", 1, b, a);

            kernel.runUntil(50_000);

            Optional<List<HangDetector.Wait>> stuck = kernel.runtime().hangDetector().stuck();
            assertTrue(stuck.isPresent(), "both CPUs spin forever");
            assertEquals(List.of(
                    new HangDetector.Wait(0, ab.toString(), "lock_b", 1, ba.toString(), HOLD_NS, "spinning"),
                    new HangDetector.Wait(1, ba.toString(), "lock_a", 0, ab.toString(), HOLD_NS, "spinning")),
                    stuck.get());
            assertEquals(b, ab.spinningOn());
            assertEquals(a, ba.spinningOn());
            assertEquals(1, a.acquisitions());
            assertEquals(1, b.acquisitions());
            assertTrue(a.contentions() > 1 && b.contentions() > 1, "each spin retries the lock");
        }
    }

    @Test
    void locksTakenInTheSameOrderDoNotHang() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(2, "")) {
            kernel.machine().scheduler().setQuantum(QUANTUM);
            RawSpinLock a = new RawSpinLock("lock_a");
            RawSpinLock b = new RawSpinLock("lock_b");
            Task first = lockInOrder(kernel, "ab_thread", 0, a, b);
            Task second = lockInOrder(kernel, "ab_thread2", 1, a, b);
            HangDetector detector = kernel.runtime().hangDetector();

            // CPU 1 spins on lock_a while CPU 0 works holding it: waiting, but not stuck
            kernel.runUntil(600);
            assertEquals(a, second.spinningOn());
            assertEquals(Optional.empty(), detector.stuck());

            kernel.runUntil(50_000);

            assertEquals(TaskState.DEAD, first.state());
            assertEquals(TaskState.DEAD, second.state());
            assertEquals(Optional.empty(), detector.stuck());
            assertEquals(2, a.acquisitions());
            assertTrue(!a.isLocked() && !b.isLocked());
        }
    }
}
