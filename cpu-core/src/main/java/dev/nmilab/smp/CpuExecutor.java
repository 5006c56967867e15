package dev.nmilab.smp;

import dev.nmilab.x86.Cpu;

/**
 * Advances one CPU by at most {@code budgetNs} of its virtual time. The default runs
 * instructions; the kernel runtime substitutes one that also runs Java kernel code.
 */
@FunctionalInterface
public interface CpuExecutor {
    void execute(Cpu cpu, long budgetNs);

    /**
     * True when {@code cpu} would only idle until an outside event (a timed action, another
     * CPU's IPI) changes that: the scheduler may then skip ahead to the next timed action.
     */
    default boolean idle(Cpu cpu) {
        return cpu.state() != Cpu.State.RUNNING && !cpu.hasDeliverableEvent();
    }

    /**
     * Nanoseconds from {@code cpu}'s own time during which it will only spend opaque Java busy
     * time: no instruction, no event another CPU or device can see, nothing a window end could
     * change. 0 when the CPU may do anything sooner. The scheduler skips windows over such time.
     */
    default long busyOnlyNs(Cpu cpu) {
        return 0;
    }

    CpuExecutor INSTRUCTIONS = Cpu::run;
}
