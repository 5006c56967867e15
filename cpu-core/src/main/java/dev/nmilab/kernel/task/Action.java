package dev.nmilab.kernel.task;

import dev.nmilab.kernel.lock.SpinLock;

/** What a task body does next. Only these consume virtual time or change the CPU's course. */
public sealed interface Action {
    /** Run Java kernel code for {@code ns} of CPU time (interruptible at instruction boundaries). */
    record Busy(long ns) implements Action {
        public Busy {
            if (ns < 1) {
                throw new IllegalArgumentException("busy time must be at least 1 ns");
            }
        }
    }

    /** schedule_timeout_uninterruptible: sleep {@code ns}, letting the CPU run something else. */
    record Sleep(long ns) implements Action {
    }

    /** schedule() in TASK_UNINTERRUPTIBLE with no timer: sleep until someone calls wake_up_process. */
    record Wait() implements Action {
    }

    /** Call the guest function at {@code address} with up to six arguments; resume when it returns. */
    record CallGuest(long address, long... args) implements Action {
        public CallGuest {
            if (args.length > 6) {
                throw new IllegalArgumentException("at most six register arguments");
            }
        }
    }

    /**
     * raw_spin_lock, printk_cpu_sync_get: take {@code lock}, spinning (busy time, interruptible
     * when interrupts are on) while another CPU holds it.
     */
    record Acquire(SpinLock lock) implements Action {
    }

    /** The task ends (kthread returns). */
    record Exit() implements Action {
    }
}
