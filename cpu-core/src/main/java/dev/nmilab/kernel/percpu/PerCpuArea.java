package dev.nmilab.kernel.percpu;

import dev.nmilab.kernel.preempt.PerCpuPreemptCount;
import dev.nmilab.memory.GuestMemory;
import dev.nmilab.smp.BootLayout;

/**
 * The per-CPU area each CPU's GS base points at (offsets shared with stubs through nmilab.h).
 * preempt_count lives here, per CPU, as x86 keeps it (arch/x86/include/asm/preempt.h).
 */
public final class PerCpuArea {
    public static final long CPU_NUMBER = 0;
    public static final long PREEMPT_COUNT = 8;
    public static final long NMI_STATE = 16;
    public static final long CURRENT_PID = 24;

    private PerCpuArea() {
    }

    public static long base(int cpu) {
        return BootLayout.perCpuArea(cpu);
    }

    public static PerCpuPreemptCount preemptCount(GuestMemory memory, int cpu) {
        return new PerCpuPreemptCount(memory, base(cpu) + PREEMPT_COUNT);
    }
}
