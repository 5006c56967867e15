package dev.nmilab.kdump.kexec;

import dev.nmilab.kernel.panic.PtRegs;
import dev.nmilab.unicorn.X86Reg;
import dev.nmilab.x86.Cpu;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-CPU crash notes (kernel/crash_core.c: crash_save_cpu): each CPU's registers at the
 * moment it was stopped for the crash, in user_regs_struct order (r15 ... gs), with its pid.
 */
public final class CrashNotes {
    /** One saved CPU: registers in the 27-slot elf_prstatus order. */
    public record Saved(int cpu, int pid, long[] regs) {
    }

    private final Map<Integer, Saved> saved = new TreeMap<>();
    private boolean frozen;

    /** machine_kexec has jumped: the capture kernel reads the notes as they are now. */
    public void freeze() {
        frozen = true;
    }

    /** crash_save_cpu from an interrupt frame (the NMI's pt_regs). */
    public void save(int cpu, int pid, PtRegs regs, long gsBase) {
        if (frozen) {
            return;
        }
        saved.put(cpu, new Saved(cpu, pid, new long[] {
            regs.r15(), regs.r14(), regs.r13(), regs.r12(), regs.rbp(), regs.rbx(), regs.r11(), regs.r10(),
            regs.r9(), regs.r8(), regs.rax(), regs.rcx(), regs.rdx(), regs.rsi(), regs.rdi(), regs.origAx(),
            regs.ip(), regs.cs(), regs.flags(), regs.sp(), regs.ss(), 0, gsBase, 0, 0, 0, 0,
        }));
    }

    /** crash_save_cpu for the panic CPU itself (crash_setup_regs: the registers as they are now). */
    public void saveCurrent(Cpu cpu, int pid) {
        if (frozen) {
            return;
        }
        saved.put(cpu.index(), new Saved(cpu.index(), pid, new long[] {
            cpu.reg(X86Reg.R15), cpu.reg(X86Reg.R14), cpu.reg(X86Reg.R13), cpu.reg(X86Reg.R12), cpu.reg(X86Reg.RBP),
            cpu.reg(X86Reg.RBX), cpu.reg(X86Reg.R11), cpu.reg(X86Reg.R10), cpu.reg(X86Reg.R9), cpu.reg(X86Reg.R8),
            cpu.reg(X86Reg.RAX), cpu.reg(X86Reg.RCX), cpu.reg(X86Reg.RDX), cpu.reg(X86Reg.RSI), cpu.reg(X86Reg.RDI),
            -1, cpu.rip(), 0x10, cpu.reg(X86Reg.RFLAGS), cpu.reg(X86Reg.RSP), 0x18, 0, cpu.reg(X86Reg.GS_BASE),
            0, 0, 0, 0,
        }));
    }

    public Map<Integer, Saved> saved() {
        return java.util.Collections.unmodifiableMap(saved);
    }
}
