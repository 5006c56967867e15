package dev.nmilab.cli;

import dev.nmilab.kdump.vmcore.CpuCrashRegisters;
import java.util.List;

/**
 * Register frames in the layout of the crash utility's x86_64 exception frame (x86_64.c:
 * x86_64_exception_frame), three registers a line, R8 and R9 right-aligned under their column.
 */
final class CrashFrames {
    private CrashFrames() {
    }

    static List<String> exceptionFrame(CpuCrashRegisters r) {
        return List.of(
                String.format("    RIP: %016x  RSP: %016x  RFLAGS: %08x", r.rip(), r.rsp(), r.eflags()),
                String.format("    RAX: %016x  RBX: %016x  RCX: %016x", r.rax(), r.rbx(), r.rcx()),
                String.format("    RDX: %016x  RSI: %016x  RDI: %016x", r.rdx(), r.rsi(), r.rdi()),
                String.format("    RBP: %016x   R8: %016x   R9: %016x", r.rbp(), r.r8(), r.r9()),
                String.format("    R10: %016x  R11: %016x  R12: %016x", r.r10(), r.r11(), r.r12()),
                String.format("    R13: %016x  R14: %016x  R15: %016x", r.r13(), r.r14(), r.r15()),
                String.format("    ORIG_RAX: %016x  CS: %04x  SS: %04x", r.origRax(), r.cs(), r.ss()));
    }

    /** crash's rd: the address, two quadwords, then the eight bytes of each as ASCII ('.' when not printable). */
    static String quadwordLine(long address, long[] words) {
        StringBuilder line = new StringBuilder(String.format("%016x:  ", address));
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            line.append(String.format(i == 0 ? "%016x" : " %016x", words[i]));
            for (int b = 0; b < 8; b++) {
                int c = (int) (words[i] >>> (8 * b)) & 0xff;
                ascii.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
            }
        }
        line.append(" ".repeat(2 + 17 * (2 - words.length) + 1)).append(ascii);
        return line.toString();
    }
}
