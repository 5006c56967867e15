package dev.nmilab.smp;

import dev.nmilab.x86.Cpu;

/**
 * Advances one CPU by at most {@code budgetNs} of its virtual time. The default runs
 * instructions; the kernel runtime substitutes one that also runs Java kernel code.
 */
@FunctionalInterface
public interface CpuExecutor {
    void execute(Cpu cpu, long budgetNs);

    CpuExecutor INSTRUCTIONS = Cpu::run;
}
