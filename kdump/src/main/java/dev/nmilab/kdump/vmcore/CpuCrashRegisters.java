package dev.nmilab.kdump.vmcore;

import dev.nmilab.kernel.panic.PtRegs;
import dev.nmilab.unicorn.X86Reg;
import dev.nmilab.x86.Cpu;
import java.util.Arrays;
import java.util.List;

/**
 * What crash_save_cpu() (kernel/kexec_core.c) keeps of one CPU: the pid of its current task and
 * the elf_gregset_t that ELF_CORE_COPY_REGS (arch/x86/include/asm/elf.h) fills, in the order of
 * the x86-64 user_regs_struct (arch/x86/include/asm/user_64.h). The CPU number is not in the
 * note: it is the note's position in the vmcore.
 */
public record CpuCrashRegisters(int cpu, int pid, long[] regs) {
    /** ELF_NGREG on x86-64. */
    public static final int NGREG = 27;
    /** user_regs_struct field names, index = position in pr_reg. */
    public static final List<String> NAMES = List.of("r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9",
            "r8", "rax", "rcx", "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base",
            "gs_base", "ds", "es", "fs", "gs");

    public static final int R15 = 0;
    public static final int R14 = 1;
    public static final int R13 = 2;
    public static final int R12 = 3;
    public static final int RBP = 4;
    public static final int RBX = 5;
    public static final int R11 = 6;
    public static final int R10 = 7;
    public static final int R9 = 8;
    public static final int R8 = 9;
    public static final int RAX = 10;
    public static final int RCX = 11;
    public static final int RDX = 12;
    public static final int RSI = 13;
    public static final int RDI = 14;
    public static final int ORIG_RAX = 15;
    public static final int RIP = 16;
    public static final int CS = 17;
    public static final int EFLAGS = 18;
    public static final int RSP = 19;
    public static final int SS = 20;
    public static final int FS_BASE = 21;
    public static final int GS_BASE = 22;
    public static final int DS = 23;
    public static final int ES = 24;
    public static final int FS = 25;
    public static final int GS = 26;

    /** The engine registers behind pr_reg[0..14], in pt_regs order. */
    private static final X86Reg[] GENERAL = X86Reg.PT_REGS_ORDER;

    public CpuCrashRegisters {
        if (cpu < 0) {
            throw new IllegalArgumentException("negative CPU number " + cpu);
        }
        if (regs.length != NGREG) {
            throw new IllegalArgumentException("pr_reg has " + NGREG + " registers, got " + regs.length);
        }
        regs = regs.clone();
    }

    /**
     * The registers of {@code cpu} as they are now, as crash_setup_regs()
     * (arch/x86/include/asm/kexec.h) takes them on the CPU that panics: orig_rax is -1, as for a
     * frame that is not a system call.
     */
    public static CpuCrashRegisters capture(Cpu cpu, int pid) {
        long[] regs = new long[NGREG];
        for (int i = 0; i < GENERAL.length; i++) {
            regs[i] = cpu.reg(GENERAL[i]);
        }
        regs[ORIG_RAX] = -1;
        regs[RIP] = cpu.reg(X86Reg.RIP);
        regs[CS] = cpu.reg(X86Reg.CS);
        regs[EFLAGS] = cpu.reg(X86Reg.RFLAGS);
        regs[RSP] = cpu.reg(X86Reg.RSP);
        regs[SS] = cpu.reg(X86Reg.SS);
        segmentsOf(cpu, regs);
        return new CpuCrashRegisters(cpu.index(), pid, regs);
    }

    /**
     * The registers of an interrupted context, as crash_nmi_callback() (arch/x86/kernel/crash.c)
     * saves the pt_regs the shoot-down NMI pushed on another CPU: the frame as pushed, the bases
     * and selectors from the CPU, as ELF_CORE_COPY_REGS does.
     */
    public static CpuCrashRegisters fromPtRegs(Cpu cpu, int pid, PtRegs frame) {
        long[] regs = {frame.r15(), frame.r14(), frame.r13(), frame.r12(), frame.rbp(), frame.rbx(), frame.r11(),
            frame.r10(), frame.r9(), frame.r8(), frame.rax(), frame.rcx(), frame.rdx(), frame.rsi(), frame.rdi(),
            frame.origAx(), frame.ip(), frame.cs(), frame.flags(), frame.sp(), frame.ss(), 0, 0, 0, 0, 0, 0};
        segmentsOf(cpu, regs);
        return new CpuCrashRegisters(cpu.index(), pid, regs);
    }

    /** fs_base, gs_base (nmilab keeps the kernel's GS base in GS_BASE: no swapgs), ds, es, fs, gs. */
    private static void segmentsOf(Cpu cpu, long[] regs) {
        regs[FS_BASE] = cpu.reg(X86Reg.FS_BASE);
        regs[GS_BASE] = cpu.reg(X86Reg.GS_BASE);
        regs[DS] = cpu.reg(X86Reg.DS) & 0xffff;
        regs[ES] = cpu.reg(X86Reg.ES) & 0xffff;
        regs[FS] = cpu.reg(X86Reg.FS) & 0xffff;
        regs[GS] = cpu.reg(X86Reg.GS) & 0xffff;
    }

    @Override
    public long[] regs() {
        return regs.clone();
    }

    public long reg(int index) {
        return regs[index];
    }

    public long r15() {
        return regs[R15];
    }

    public long r14() {
        return regs[R14];
    }

    public long r13() {
        return regs[R13];
    }

    public long r12() {
        return regs[R12];
    }

    public long rbp() {
        return regs[RBP];
    }

    public long rbx() {
        return regs[RBX];
    }

    public long r11() {
        return regs[R11];
    }

    public long r10() {
        return regs[R10];
    }

    public long r9() {
        return regs[R9];
    }

    public long r8() {
        return regs[R8];
    }

    public long rax() {
        return regs[RAX];
    }

    public long rcx() {
        return regs[RCX];
    }

    public long rdx() {
        return regs[RDX];
    }

    public long rsi() {
        return regs[RSI];
    }

    public long rdi() {
        return regs[RDI];
    }

    public long origRax() {
        return regs[ORIG_RAX];
    }

    public long rip() {
        return regs[RIP];
    }

    public long cs() {
        return regs[CS];
    }

    public long eflags() {
        return regs[EFLAGS];
    }

    public long rsp() {
        return regs[RSP];
    }

    public long ss() {
        return regs[SS];
    }

    public long fsBase() {
        return regs[FS_BASE];
    }

    public long gsBase() {
        return regs[GS_BASE];
    }

    public long ds() {
        return regs[DS];
    }

    public long es() {
        return regs[ES];
    }

    public long fs() {
        return regs[FS];
    }

    public long gs() {
        return regs[GS];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CpuCrashRegisters that && that.cpu == cpu && that.pid == pid
                && Arrays.equals(that.regs, regs);
    }

    @Override
    public int hashCode() {
        return (cpu * 31 + pid) * 31 + Arrays.hashCode(regs);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("CpuCrashRegisters[cpu=").append(cpu).append(", pid=").append(pid);
        for (int i = 0; i < NGREG; i++) {
            text.append(", ").append(NAMES.get(i)).append("=0x").append(Long.toHexString(regs[i]));
        }
        return text.append(']').toString();
    }
}
