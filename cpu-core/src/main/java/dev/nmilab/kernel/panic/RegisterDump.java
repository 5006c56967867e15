package dev.nmilab.kernel.panic;

import dev.nmilab.event.Symbolizer;
import dev.nmilab.memory.GuestMemory;
import java.util.ArrayList;
import java.util.List;

/** The register lines of an oops (arch/x86/kernel/process_64.c: __show_regs, dumpstack.c: show_ip/show_opcodes). */
public final class RegisterDump {
    private static final int PROLOGUE = 42;
    private static final int EPILOGUE = 21;

    private RegisterDump() {
    }

    public static List<String> lines(PtRegs regs, GuestMemory memory, Symbolizer symbols, long gsBase, long cr0,
            long cr2, long cr3, long cr4) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("RIP: %04x:%s", regs.cs() & 0xffff, symbols.describe(regs.ip())));
        lines.add(code(regs.ip(), memory));
        lines.add(String.format("RSP: %04x:%016x EFLAGS: %08x%s", regs.ss() & 0xffff, regs.sp(), regs.flags(),
                regs.origAx() != -1 ? String.format(" ORIG_RAX: %016x", regs.origAx()) : ""));
        lines.add(String.format("RAX: %016x RBX: %016x RCX: %016x", regs.rax(), regs.rbx(), regs.rcx()));
        lines.add(String.format("RDX: %016x RSI: %016x RDI: %016x", regs.rdx(), regs.rsi(), regs.rdi()));
        lines.add(String.format("RBP: %016x R08: %016x R09: %016x", regs.rbp(), regs.r8(), regs.r9()));
        lines.add(String.format("R10: %016x R11: %016x R12: %016x", regs.r10(), regs.r11(), regs.r12()));
        lines.add(String.format("R13: %016x R14: %016x R15: %016x", regs.r13(), regs.r14(), regs.r15()));
        lines.add(String.format("FS:  %016x(%04x) GS:%016x(%04x) knlGS:%016x", 0L, 0, gsBase, 0, 0L));
        lines.add(String.format("CS:  %04x DS: %04x ES: %04x CR0: %016x", regs.cs() & 0xffff, 0, 0, cr0));
        lines.add(String.format("CR2: %016x CR3: %016x CR4: %016x", cr2, cr3, cr4));
        return lines;
    }

    /**
     * "Code: " with 42 bytes before RIP and 21 from it, the byte at RIP in angle brackets. A RIP on
     * a Java-text pad (kernel code modelled in Java) has no machine code to show, and says so.
     */
    static String code(long ip, GuestMemory memory) {
        if (dev.nmilab.kernel.task.JavaText.BASE <= ip && ip < dev.nmilab.kernel.task.JavaText.BASE + 4096) {
            return "Code: (modelled in Java by nmilab: no machine code)";
        }
        StringBuilder line = new StringBuilder("Code:");
        for (long at = ip - PROLOGUE; at < ip + EPILOGUE; at++) {
            if (!memory.isBacked(at, 1)) {
                return "Code: Unable to access opcode bytes at 0x" + Long.toHexString(ip - PROLOGUE) + ".";
            }
            int value = memory.readByte(at) & 0xff;
            line.append(at == ip ? String.format(" <%02x>", value) : String.format(" %02x", value));
        }
        return line.toString();
    }
}
