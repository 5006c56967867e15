package dev.nmilab.kernel.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.task.Action;
import dev.nmilab.kernel.testing.BootedKernel;
import dev.nmilab.x86.Cpu;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * printk's CPU-reentrant spinning lock: the owner may nest, others spin until the last put; a
 * CPU stopped while owning it leaves every other CPU that wants it spinning for good, and the
 * hang detector says so (the deadlock the "dump_stack: do not get cpu_sync for panic CPU" fix
 * of the rt printk series avoids).
 */
class PrintkCpuSyncTest {
    private static final long MS = 1_000_000L;

    @Test
    void theOwnerNestsAndOnlyTheOutermostPutReleases() {
        PrintkCpuSync sync = new PrintkCpuSync();
        assertTrue(sync.tryLock(0, "dump_stack_lvl", 5));
        assertTrue(sync.tryLock(0, "nmi_cpu_backtrace", 7)); // an NMI inside dump_stack on the same CPU
        assertEquals(1, sync.nested());
        assertFalse(sync.tryLock(1, "dump_stack_lvl", 8));
        assertEquals(1, sync.contentions());
        sync.put(0);
        assertTrue(sync.isLocked());
        assertEquals(0, sync.ownerCpu());
        assertEquals(5, sync.heldSince());
        sync.put(0);
        assertFalse(sync.isLocked());
        assertTrue(sync.tryLock(1, "dump_stack_lvl", 9));
        assertEquals(1, sync.ownerCpu());
    }

    @Test
    void onlyTheOwnerMayPut() {
        PrintkCpuSync sync = new PrintkCpuSync();
        assertThrows(IllegalStateException.class, () -> sync.put(0));
        sync.tryLock(2, "x", 0);
        IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> sync.put(1));
        assertEquals("printk_cpu_sync put by CPU 1 but owned by CPU 2", wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sync.tryLock(-1, "x", 0));
    }

    @Test
    void aCpuSpinsUntilTheOwnersLastPut() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(2, "")) {
            PrintkCpuSync sync = new PrintkCpuSync();
            List<String> log = new ArrayList<>();
            int[] owner = {0};
            kernel.tasks().runContinuation(kernel.machine().cpu(0), "dump_stack_lvl", context -> switch (owner[0]++) {
                case 0, 1 -> new Action.Acquire(sync); // got twice: nested
                case 2 -> new Action.Busy(3 * MS);
                case 3 -> {
                    sync.put(0);
                    yield new Action.Busy(2 * MS);
                }
                case 4 -> {
                    sync.put(0);
                    log.add("CPU 0 released at " + context.now());
                    yield new Action.Exit();
                }
                default -> new Action.Exit();
            });
            int[] waiter = {0};
            kernel.tasks().runContinuation(kernel.machine().cpu(1), "panic", context -> switch (waiter[0]++) {
                case 0 -> new Action.Busy(1 * MS);
                case 1 -> new Action.Acquire(sync);
                case 2 -> {
                    log.add("CPU 1 got it at " + context.now());
                    sync.put(1);
                    yield new Action.Exit();
                }
                default -> new Action.Exit();
            });
            kernel.runUntil(20 * MS);
            // CPU 0 runs first in the window, so CPU 1's next try sees the lock free at once
            assertEquals(List.of("CPU 0 released at 5000000", "CPU 1 got it at 5000000"), log);
            assertTrue(sync.contentions() > 0);
            assertFalse(sync.isLocked());
        }
    }

    @Test
    void anOwnerStoppedWithTheLockLeavesTheOtherCpuSpinningAndTheHangDetectorSaysWhy() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(2, "")) {
            PrintkCpuSync sync = new PrintkCpuSync();
            Cpu cpu0 = kernel.machine().cpu(0);
            int[] owner = {0};
            kernel.tasks().runContinuation(cpu0, "serial8250_console_putchar", context -> switch (owner[0]++) {
                case 0 -> new Action.Acquire(sync);
                case 1 -> new Action.Busy(2 * MS);
                default -> {
                    cpu0.haltForever("stopped by crash_nmi_callback"); // an NMI stop, lock still owned
                    yield new Action.Exit();
                }
            });
            int[] waiter = {0};
            kernel.tasks().runContinuation(kernel.machine().cpu(1), "dump_stack_lvl", context -> switch (waiter[0]++) {
                case 0 -> new Action.Busy(1 * MS);
                case 1 -> new Action.Acquire(sync);
                default -> new Action.Exit();
            });
            kernel.runUntil(10 * MS);
            Optional<List<HangDetector.Wait>> stuck = kernel.runtime().hangDetector().stuck();
            assertTrue(stuck.isPresent(), "CPU 1 spins on a lock a halted CPU owns: nobody can progress");
            HangDetector.Wait spinning = stuck.get().get(1);
            assertEquals(new HangDetector.Wait(1, "dump_stack_lvl", "printk_cpu_sync", 0, "CPU 0 in serial8250_console_putchar",
                    1_000_000, "spinning"), spinning);
            assertEquals("halted with interrupts off", stuck.get().get(0).state());
        }
    }
}
