package dev.nmilab.kernel.printk;

import dev.nmilab.kernel.lock.SpinLock;

/**
 * The legacy console lock of kernel/printk/printk.c (6.1): console_sem, held by one CPU that
 * prints every pending record (console_unlock), and the owner/waiter hand-over
 * (console_owner, console_waiter): while the holder writes a record, one other printk caller may
 * spin waiting, and the holder gives it the lock after that record instead of going on itself.
 */
final class ConsoleSem {
    private int holder = -1;
    private int consoleOwner = -1;
    private int waiter = -1;
    private long waitingSince;

    boolean locked() {
        return holder >= 0;
    }

    /** console_trylock. */
    boolean tryLock(int cpu) {
        if (holder >= 0) {
            return false;
        }
        holder = cpu;
        return true;
    }

    /** __console_unlock: up(&console_sem). */
    void unlock(int cpu) {
        if (holder == cpu) {
            holder = -1;
        }
    }

    /** console_trylock_spinning's check: a holder writing right now and nobody waiting yet. */
    boolean becomeWaiter(int cpu, long now) {
        if (consoleOwner < 0 || consoleOwner == cpu || waiter >= 0) {
            return false;
        }
        waiter = cpu;
        waitingSince = now;
        return true;
    }

    /** console_lock_spinning_enable: from here until the record is out, a waiter may queue up. */
    void writing(int cpu) {
        consoleOwner = cpu;
    }

    /** console_lock_spinning_disable_and_check: true when the lock went to the waiter. */
    boolean handOverIfWaited(int cpu) {
        consoleOwner = -1;
        if (waiter < 0) {
            return false;
        }
        holder = waiter;
        waiter = -1;
        return true;
    }

    /** What a waiter spins on: free for it once the holder has handed console_sem over. */
    SpinLock handOver() {
        return new SpinLock() {
            @Override
            public String name() {
                return "console_sem (waiting for the hand-over)";
            }

            @Override
            public boolean tryLock(int cpu, String who, long now) {
                return holder == cpu;
            }

            @Override
            public boolean isLocked() {
                return waiter >= 0;
            }

            @Override
            public int ownerCpu() {
                return holder;
            }

            @Override
            public String ownerName() {
                return holder < 0 ? "" : "CPU " + holder + " in console_unlock";
            }

            @Override
            public long heldSince() {
                return waitingSince;
            }
        };
    }
}
