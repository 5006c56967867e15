package dev.nmilab.cli;

import dev.nmilab.kdump.vmcore.CpuCrashRegisters;
import dev.nmilab.kdump.vmcore.PageTableLevel;
import dev.nmilab.kdump.vmcore.PageWalk;
import dev.nmilab.kdump.vmcore.VmcoreReader;
import dev.nmilab.kdump.vmcore.VmcoreSymbols;
import dev.nmilab.kdump.vmcore.Vmcoreinfo;
import dev.nmilab.kernel.printk.DmesgFormat;
import dev.nmilab.kernel.printk.LogRecord;
import dev.nmilab.kernel.printk.PrbLayout;
import dev.nmilab.kernel.printk.PrintkRingbuffer;
import dev.nmilab.memory.GuestMemory;
import dev.nmilab.memory.GuestMemoryException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.OptionalLong;

/**
 * The commands of {@code nmilab crash} on one open vmcore, named and shaped after the crash
 * utility's: log, bt, regs, rd, vtop, ptov, sym. Symbols come from the dump's NMILAB note, the
 * kernel log from SYMBOL(prb) (the printk_ringbuffer) and page tables from SYMBOL(init_top_pgt).
 */
final class CrashSession {
    static final List<String> COMMANDS = List.of("log", "bt", "regs", "rd", "vtop", "ptov", "sym");
    /** rd prints at most this many quadwords at once. */
    private static final int MAX_RD = 1 << 16;

    private final VmcoreReader vmcore;
    private final VmcoreSymbols symbols;
    private final PrintWriter out;

    CrashSession(VmcoreReader vmcore, PrintWriter out) {
        this.vmcore = vmcore;
        this.symbols = new VmcoreSymbols(vmcore.symbols());
        this.out = out;
    }

    void execute(List<String> words) throws CrashInputException {
        String command = words.getFirst();
        List<String> args = words.subList(1, words.size());
        switch (command) {
            case "log" -> log(args);
            case "bt" -> bt(args);
            case "regs" -> regs(args);
            case "rd" -> rd(args);
            case "vtop" -> vtop(args);
            case "ptov" -> ptov(args);
            case "sym" -> sym(args);
            default -> throw new CrashInputException("unknown command '" + command + "' (commands: "
                    + String.join(", ", COMMANDS) + ")");
        }
        out.flush();
    }

    private static void arguments(String command, List<String> args, int min, int max, String usage)
            throws CrashInputException {
        if (args.size() < min || args.size() > max) {
            throw new CrashInputException(command + ": usage: " + usage);
        }
    }

    /**
     * log: the kernel log, dmesg style (kernel/printk/printk.c: record_print_text), found the way
     * makedumpfile --dump-dmesg finds it: SYMBOL(prb) holds the address of the printk_ringbuffer,
     * whose structs the SIZE and OFFSET entries of VMCOREINFO describe.
     */
    private void log(List<String> args) throws CrashInputException {
        arguments("log", args, 0, 0, "log");
        long prb = Vmcoreinfo.symbol(vmcore.vmcoreinfo(), "prb").orElseThrow(
                () -> new CrashInputException("log: the vmcore's VMCOREINFO has no SYMBOL(prb)"));
        List<LogRecord> records;
        try {
            PrbLayout layout = PrbLayout.fromVmcoreinfo(vmcore.vmcoreinfo());
            records = PrintkRingbuffer.read(vmcore.memory(), vmcore.memory().readLong(prb), layout);
        } catch (GuestMemoryException e) {
            throw new CrashInputException(String.format("log: the printk ring (prb at 0x%x) is not in the vmcore", prb));
        } catch (IllegalArgumentException e) {
            throw new CrashInputException("log: " + e.getMessage());
        }
        records.forEach(record -> out.print(DmesgFormat.recordText(record.timestampNs(), record.text())));
    }

    /**
     * bt: for each CPU, the saved frame as an exception frame, then the kernel text addresses
     * found on its stack from RSP to the end of that page (crash's bt -t, which is what a dump
     * without unwind information allows).
     */
    private void bt(List<String> args) throws CrashInputException {
        arguments("bt", args, 0, 0, "bt");
        for (CpuCrashRegisters cpu : vmcore.cpus()) {
            if (cpu.cpu() > 0) {
                out.println();
            }
            out.printf("PID: %-6d CPU: %d%n", cpu.pid(), cpu.cpu());
            out.printf(" #0 [exception RIP: %s]%n", describe(cpu.rip()));
            CrashFrames.exceptionFrame(cpu).forEach(out::println);
            GuestMemory memory = vmcore.memory();
            int frame = 1;
            long end = (cpu.rsp() | 0xfff) + 1;
            for (long at = cpu.rsp() & ~7L; Long.compareUnsigned(at, end) < 0 && memory.isBacked(at, 8); at += 8) {
                long value = memory.readLong(at);
                if (symbols.nearest(value).isPresent()) {
                    out.printf(" #%d [%016x] %s at %016x%n", frame++, at, describe(value), value);
                }
            }
        }
    }

    /** regs: every register of elf_prstatus.pr_reg per CPU, user_regs_struct names and order. */
    private void regs(List<String> args) throws CrashInputException {
        arguments("regs", args, 0, 0, "regs");
        for (CpuCrashRegisters cpu : vmcore.cpus()) {
            out.printf("CPU %d  PID: %d%n", cpu.cpu(), cpu.pid());
            for (int i = 0; i < CpuCrashRegisters.NGREG; i++) {
                String name = CpuCrashRegisters.NAMES.get(i);
                String where = i == CpuCrashRegisters.RIP ? symbols.describe(cpu.reg(i)).map(s -> "  " + s).orElse("")
                        : "";
                out.printf("  %-8s %016x%s%n", name, cpu.reg(i), where);
            }
        }
    }

    /** rd ADDR [COUNT]: COUNT quadwords from ADDR, two a line with their ASCII. */
    private void rd(List<String> args) throws CrashInputException {
        arguments("rd", args, 1, 2, "rd ADDRESS|SYMBOL [COUNT]");
        long address = address("rd", args.getFirst());
        int count;
        try {
            count = args.size() == 2 ? Integer.parseInt(args.get(1)) : 1;
        } catch (NumberFormatException e) {
            throw new CrashInputException("rd: count '" + args.get(1) + "' is not a number");
        }
        if (count < 1 || count > MAX_RD) {
            throw new CrashInputException("rd: count must be 1.." + MAX_RD + ", got " + count);
        }
        ByteBuffer bytes = ByteBuffer.wrap(readKernel("rd", address, count * 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i += 2) {
            long[] words = new long[Math.min(2, count - i)];
            for (int w = 0; w < words.length; w++) {
                words[w] = bytes.getLong(8 * (i + w));
            }
            out.println(CrashFrames.quadwordLine(address + 8L * i, words));
        }
    }

    /** vtop ADDR: the page walk through init_top_pgt, in the shape of crash's x86_64 vtop. */
    private void vtop(List<String> args) throws CrashInputException {
        arguments("vtop", args, 1, 1, "vtop ADDRESS|SYMBOL");
        long address = address("vtop", args.getFirst());
        long pgdSymbol = pgdSymbol("vtop");
        PageWalk.Translation walk = PageWalk.vtop(vmcore.physical(), pgdPhysical("vtop", pgdSymbol), address);
        out.printf("%-16s  %s%n", "VIRTUAL", "PHYSICAL");
        out.printf("%016x  %s%n%n", address, walk instanceof PageWalk.Mapped mapped
                ? Long.toHexString(mapped.physical()) : "(not mapped)");
        out.printf("PGD DIRECTORY: %x%n", pgdSymbol);
        for (PageWalk.Step step : walk.steps()) {
            if (step.level() == PageTableLevel.PML4) {
                out.printf("PAGE DIRECTORY: %x%n", step.entry());
            } else {
                out.printf("   %s: %x => %x%n", step.level().kernelName(), step.entryAddress(), step.entry());
            }
        }
        switch (walk) {
            case PageWalk.Mapped mapped -> out.printf("  PAGE: %x  (%s)%n", mapped.physical() & -mapped.pageSize(),
                    pageSize(mapped.pageSize()));
            case PageWalk.NotMapped missing -> out.println(missing.reason());
        }
    }

    /** ptov PHYSADDR: its direct-map address. */
    private void ptov(List<String> args) throws CrashInputException {
        arguments("ptov", args, 1, 1, "ptov PHYSICAL-ADDRESS");
        long physical = number("ptov", args.getFirst());
        if (physical < 0 || physical >= 1L << 46) {
            throw new CrashInputException(String.format("ptov: 0x%x is not a physical address", physical));
        }
        out.printf("%-16s  %s%n", "VIRTUAL", "PHYSICAL");
        out.printf("%016x  %x%n", PageWalk.ptov(physical), physical);
    }

    /** sym ADDR|NAME: the symbol covering an address, or the address of a symbol. */
    private void sym(List<String> args) throws CrashInputException {
        arguments("sym", args, 1, 1, "sym ADDRESS|SYMBOL");
        String arg = args.getFirst();
        OptionalLong named = symbols.address(arg);
        if (named.isPresent()) {
            out.printf("%016x %s%n", named.getAsLong(), arg);
            return;
        }
        long address = number("sym", arg);
        out.printf("%016x %s%n", address, symbols.describe(address).orElseThrow(
                () -> new CrashInputException(String.format("sym: no symbol covers 0x%x", address))));
    }

    // ---- helpers ----

    private String describe(long address) {
        return symbols.describe(address).orElse(Long.toHexString(address));
    }

    /** A symbol name, or a hexadecimal address with or without 0x (as crash reads addresses). */
    private long address(String command, String text) throws CrashInputException {
        OptionalLong named = symbols.address(text);
        return named.isPresent() ? named.getAsLong() : number(command, text);
    }

    private static long number(String command, String text) throws CrashInputException {
        String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        try {
            if (digits.isEmpty() || digits.length() > 16) {
                throw new NumberFormatException();
            }
            return Long.parseUnsignedLong(digits, 16);
        } catch (NumberFormatException e) {
            throw new CrashInputException(command + ": '" + text + "' is neither a hexadecimal address nor a symbol");
        }
    }

    private long pgdSymbol(String command) throws CrashInputException {
        return Vmcoreinfo.symbol(vmcore.vmcoreinfo(), "init_top_pgt").orElseThrow(
                () -> new CrashInputException(command + ": the vmcore's VMCOREINFO has no SYMBOL(init_top_pgt)"));
    }

    private static long pgdPhysical(String command, long pgdSymbol) throws CrashInputException {
        return PageWalk.linearToPhysical(pgdSymbol).orElseThrow(() -> new CrashInputException(String.format(
                "%s: SYMBOL(init_top_pgt)=%x is neither in the kernel image nor in the direct map", command, pgdSymbol)));
    }

    /**
     * Bytes at a kernel address: from the PT_LOADs when they hold it (kernel image, direct map,
     * or a physical address), else through the page tables, page by page (vmalloc).
     */
    private byte[] readKernel(String command, long address, int length) throws CrashInputException {
        if (vmcore.isDumped(address, length)) {
            return vmcore.read(address, length);
        }
        if (address >= 0) {
            throw new CrashInputException(String.format("%s: physical 0x%x (%d bytes) is not in the vmcore", command,
                    address, length));
        }
        long pgd = pgdPhysical(command, pgdSymbol(command));
        byte[] bytes = new byte[length];
        int done = 0;
        while (done < length) {
            long at = address + done;
            PageWalk.Translation walk = PageWalk.vtop(vmcore.physical(), pgd, at);
            if (!(walk instanceof PageWalk.Mapped mapped)) {
                throw new CrashInputException(String.format("%s: 0x%x: %s", command, at,
                        ((PageWalk.NotMapped) walk).reason()));
            }
            int chunk = (int) Math.min(length - done, 4096 - (at & 0xfff));
            if (!vmcore.physical().isBacked(mapped.physical(), chunk)) {
                throw new CrashInputException(String.format("%s: 0x%x (physical 0x%x) is not in the vmcore", command,
                        at, mapped.physical()));
            }
            vmcore.physical().read(mapped.physical(), bytes, done, chunk);
            done += chunk;
        }
        return bytes;
    }

    private static String pageSize(long bytes) {
        return bytes >= 1L << 30 ? (bytes >> 30) + "GB" : bytes >= 1L << 20 ? (bytes >> 20) + "MB" : (bytes >> 10) + "KB";
    }
}
