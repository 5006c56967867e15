package dev.nmilab.kdump.vmcore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * struct elf_prstatus on x86-64 (include/linux/elfcore.h, include/uapi/linux/elfcore.h), the
 * descriptor of each CPU's NT_PRSTATUS note. crash_save_cpu() zeroes it and fills only pr_pid and
 * pr_reg:
 *
 * <pre>
 *  offset  size  field
 *    0      12   pr_info (si_signo, si_code, si_errno)
 *   12       2   pr_cursig            (2 bytes padding)
 *   16       8   pr_sigpend
 *   24       8   pr_sighold
 *   32       4   pr_pid
 *   36       4   pr_ppid
 *   40       4   pr_pgrp
 *   44       4   pr_sid
 *   48      64   pr_utime, pr_stime, pr_cutime, pr_cstime (__kernel_old_timeval each)
 *  112     216   pr_reg: 27 x u64, user_regs_struct order
 *  328       4   pr_fpvalid           (4 bytes padding)
 *  336           sizeof(struct elf_prstatus)
 * </pre>
 */
public final class ElfPrstatus {
    public static final int SIZE = 336;
    public static final int PR_PID = 32;
    public static final int PR_REG = 112;
    public static final int PR_FPVALID = 328;

    private ElfPrstatus() {
    }

    public static byte[] encode(CpuCrashRegisters registers) {
        ByteBuffer out = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(PR_PID, registers.pid());
        long[] regs = registers.regs();
        for (int i = 0; i < CpuCrashRegisters.NGREG; i++) {
            out.putLong(PR_REG + 8 * i, regs[i]);
        }
        return out.array();
    }

    /** The registers in an NT_PRSTATUS descriptor of {@value #SIZE} bytes; {@code cpu} is the note's position. */
    public static CpuCrashRegisters decode(int cpu, byte[] desc) {
        if (desc.length != SIZE) {
            throw new IllegalArgumentException("elf_prstatus is " + SIZE + " bytes on x86-64, got " + desc.length);
        }
        ByteBuffer in = ByteBuffer.wrap(desc).order(ByteOrder.LITTLE_ENDIAN);
        long[] regs = new long[CpuCrashRegisters.NGREG];
        for (int i = 0; i < regs.length; i++) {
            regs[i] = in.getLong(PR_REG + 8 * i);
        }
        return new CpuCrashRegisters(cpu, in.getInt(PR_PID), regs);
    }
}
