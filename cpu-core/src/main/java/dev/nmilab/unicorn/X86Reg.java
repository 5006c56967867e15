package dev.nmilab.unicorn;

/** x86 registers by their Unicorn 2 identifiers (unicorn/x86.h, uc_x86_reg). */
public enum X86Reg {
    RAX(35), RBX(37), RCX(38), RDX(40), RSI(43), RDI(39), RBP(36), RSP(44),
    R8(106), R9(107), R10(108), R11(109), R12(110), R13(111), R14(112), R15(113),
    RIP(41), RFLAGS(253),
    CS(11), SS(49), DS(17), ES(28), FS(32), GS(33),
    CR0(50), CR2(52), CR3(53), CR4(54), CR8(58),
    FS_BASE(250), GS_BASE(251);

    /** Table registers (uc_x86_mmr): read and written with base and limit. */
    public enum Table {
        IDTR(242), GDTR(243), LDTR(244), TR(245);

        final int id;

        Table(int id) {
            this.id = id;
        }
    }

    static final int MSR_ID = 248;

    final int id;

    X86Reg(int id) {
        this.id = id;
    }

    /** The general-purpose registers in the order of the kernel's pt_regs (arch/x86/include/asm/ptrace.h). */
    public static final X86Reg[] PT_REGS_ORDER = {
        R15, R14, R13, R12, RBP, RBX, R11, R10, R9, R8, RAX, RCX, RDX, RSI, RDI
    };
}
