package dev.nmilab.nmi;

import dev.nmilab.kernel.panic.PtRegs;
import dev.nmilab.kernel.runtime.KernelServices;
import dev.nmilab.x86.Cpu;

/** What an NMI handler sees: the CPU, the interrupted registers, the reason byte of port 0x61, the kernel. */
public record NmiContext(Cpu cpu, PtRegs regs, int reason, KernelServices services) {
    public int processorId() {
        return cpu.index();
    }
}
