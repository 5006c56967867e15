package dev.nmilab.kernel.panic;

import dev.nmilab.memory.GuestMemory;

/**
 * struct pt_regs as the entry stubs push it (arch/x86/include/asm/ptrace.h): fifteen general
 * registers, orig_ax, then the hardware frame.
 */
public record PtRegs(long r15, long r14, long r13, long r12, long rbp, long rbx, long r11, long r10, long r9,
        long r8, long rax, long rcx, long rdx, long rsi, long rdi, long origAx, long ip, long cs, long flags,
        long sp, long ss) {
    public static final int SIZE = 21 * 8;

    public static PtRegs read(GuestMemory memory, long address) {
        long[] w = new long[21];
        for (int i = 0; i < w.length; i++) {
            w[i] = memory.readLong(address + 8L * i);
        }
        return new PtRegs(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10], w[11], w[12], w[13],
                w[14], w[15], w[16], w[17], w[18], w[19], w[20]);
    }
}
