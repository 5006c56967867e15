package dev.nmilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kdump.vmcore.CpuCrashRegisters;
import dev.nmilab.kdump.vmcore.KernelPageTables;
import dev.nmilab.kdump.vmcore.VmcoreContents;
import dev.nmilab.kdump.vmcore.VmcoreWriter;
import dev.nmilab.kdump.vmcore.Vmcoreinfo;
import dev.nmilab.kernel.printk.LogLevel;
import dev.nmilab.kernel.printk.LogRecord;
import dev.nmilab.kernel.printk.PrintkRingbuffer;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.memory.AddressSpace;
import dev.nmilab.memory.KernelLayout;
import dev.nmilab.memory.Mapping;
import dev.nmilab.memory.PhysicalMemory;
import dev.nmilab.unicorn.Protection;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `nmilab crash VMCORE COMMAND` on a vmcore built here: its outputs, its errors and exit statuses. */
class CrashCommandTest {
    private static final long TEXT = KernelLayout.KERNEL_TEXT;
    private static final long TABLES = 0xf0_0000L;
    private static final long STACK = KernelLayout.directMap(0x20_7f00L);
    private static final long DATA = 0x30_0000L;
    private static final long VMALLOC_PHYSICAL = 0x300_0000L;

    @TempDir
    static Path temp;

    static Path vmcore;

    @BeforeAll
    static void writeVmcore() throws IOException {
        vmcore = temp.resolve("vmcore");
        try (PhysicalMemory memory = new PhysicalMemory(64L << 20)) {
            AddressSpace kernel = new AddressSpace(memory);
            kernel.map(new Mapping("direct map", KernelLayout.PAGE_OFFSET, 0, memory.size(), Protection.ALL));
            long logBuf = KernelRuntime.logBufferAddress();
            PrintkRingbuffer log = new PrintkRingbuffer(kernel, logBuf, 12, 17);
            log.append(new LogRecord(0, 0, LogLevel.KERN_NOTICE, 0, 0, "Linux version 6.1.0-nmilab"));
            log.append(new LogRecord(1, 2_000_123_456L, LogLevel.KERN_EMERG, 1, -1,
                    "Kernel panic - not syncing: NMI: Not continuing"));
            log.append(new LogRecord(2, 2_000_200_000L, LogLevel.KERN_WARNING, 1, -1, "first line\nsecond line"));
            memory.write(KernelLayout.KERNEL_TEXT_PHYSICAL, "\u00f4\u0090nmilab text".getBytes(StandardCharsets.ISO_8859_1));
            kernel.writeLong(STACK, 0x1234);
            kernel.writeLong(STACK + 8, TEXT + 0x212);
            kernel.writeLong(STACK + 16, KernelLayout.directMap(0x20_7f80L));
            memory.writeLong(DATA, 0x6f77202c6f6c6c65L);
            memory.writeLong(DATA + 8, 0x0a21646c72L);
            memory.writeLong(DATA + 16, -1L);
            memory.write(VMALLOC_PHYSICAL, "vmalloc!".getBytes(StandardCharsets.US_ASCII));
            new KernelPageTables(memory, TABLES, TABLES + 0x10_0000).mapDirectMap(memory.size())
                    .mapKernelImage(KernelLayout.KERNEL_TEXT_PHYSICAL, KernelLayout.KERNEL_TEXT_PHYSICAL + 0x1000)
                    .map4k(KernelLayout.VMALLOC_START, VMALLOC_PHYSICAL, KernelPageTables.PAGE_KERNEL);
            String info = Vmcoreinfo.builder("6.1.0-nmilab").symbol("init_top_pgt", KernelLayout.START_KERNEL_MAP + TABLES)
                    .entries(PrintkRingbuffer.vmcoreinfoEntries(logBuf)).crashTime(2).build();
            Map<String, Long> symbols = Map.of("_stext", TEXT, "do_nmi", TEXT + 0x100, "default_do_nmi", TEXT + 0x200);
            new VmcoreWriter().write(vmcore, new VmcoreContents(List.of(registers(0, 0), registers(1, 42)), info,
                    symbols, memory, KernelLayout.KERNEL_TEXT_PHYSICAL, KernelLayout.KERNEL_TEXT_PHYSICAL + 0x1000));
        }
    }

    private static CpuCrashRegisters registers(int cpu, int pid) {
        long[] regs = new long[CpuCrashRegisters.NGREG];
        for (int i = 0; i < regs.length; i++) {
            regs[i] = 0x100L * cpu + i;
        }
        regs[CpuCrashRegisters.ORIG_RAX] = -1;
        regs[CpuCrashRegisters.RIP] = cpu == 0 ? TEXT + 0x105 : 0xffff_c900_0000_0000L;
        regs[CpuCrashRegisters.CS] = 0x10;
        regs[CpuCrashRegisters.SS] = 0x18;
        regs[CpuCrashRegisters.EFLAGS] = 0x46;
        regs[CpuCrashRegisters.RSP] = cpu == 0 ? STACK : KernelLayout.directMap(0x22_7ff8L);
        return new CpuCrashRegisters(cpu, pid, regs);
    }

    private static CliRun crash(String... args) {
        List<String> all = new ArrayList<>(List.of("crash", vmcore.toString()));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }

    private static void assertOk(CliRun run, String expected) {
        assertEquals("", run.stderr());
        assertEquals(ExitCodes.OK, run.exitCode());
        assertEquals(expected, run.stdout());
    }

    private static void assertBadInput(CliRun run, String line) {
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.stderr());
        assertEquals(List.of(line), run.stderrLines());
        assertEquals("", run.stdout());
    }

    @Test
    void logPrintsTheKernelLogDmesgStyle() {
        assertOk(crash("log"), """
                [    0.000000] Linux version 6.1.0-nmilab
                [    2.000123] Kernel panic - not syncing: NMI: Not continuing
                [    2.000200] first line
                [    2.000200] second line
                """);
    }

    @Test
    void logWithoutAPrintkRingInTheDumpIsBadInput() throws IOException {
        Path noRing = temp.resolve("vmcore.noprb");
        Path lost = temp.resolve("vmcore.lost");
        try (PhysicalMemory memory = new PhysicalMemory(4L << 20)) {
            memory.writeLong(0x1000, 1);
            new VmcoreWriter().write(noRing, new VmcoreContents(List.of(registers(0, 0)),
                    Vmcoreinfo.builder("6.1.0-nmilab").crashTime(2).build(), Map.of(), memory, 0, 0));
            // SYMBOL(prb) where the dump holds no memory
            new VmcoreWriter().write(lost, new VmcoreContents(List.of(registers(0, 0)), Vmcoreinfo.builder("6.1.0-nmilab")
                    .entries(PrintkRingbuffer.vmcoreinfoEntries(KernelRuntime.logBufferAddress())).crashTime(2).build(),
                    Map.of(), memory, 0, 0));
        }
        assertBadInput(CliRun.of("crash", noRing.toString(), "log"),
                "nmilab: crash: log: the vmcore's VMCOREINFO has no SYMBOL(prb)");
        assertBadInput(CliRun.of("crash", lost.toString(), "log"),
                "nmilab: crash: log: the printk ring (prb at 0xffff888000a00000) is not in the vmcore");
    }

    @Test
    void btShowsEachCpusFrameAndTheTextOnItsStack() {
        assertOk(crash("bt"), """
                PID: 0      CPU: 0
                 #0 [exception RIP: do_nmi+0x5]
                    RIP: ffffffff81000105  RSP: ffff888000207f00  RFLAGS: 00000046
                    RAX: 000000000000000a  RBX: 0000000000000005  RCX: 000000000000000b
                    RDX: 000000000000000c  RSI: 000000000000000d  RDI: 000000000000000e
                    RBP: 0000000000000004   R8: 0000000000000009   R9: 0000000000000008
                    R10: 0000000000000007  R11: 0000000000000006  R12: 0000000000000003
                    R13: 0000000000000002  R14: 0000000000000001  R15: 0000000000000000
                    ORIG_RAX: ffffffffffffffff  CS: 0010  SS: 0018
                 #1 [ffff888000207f08] default_do_nmi+0x12 at ffffffff81000212

                PID: 42     CPU: 1
                 #0 [exception RIP: ffffc90000000000]
                    RIP: ffffc90000000000  RSP: ffff888000227ff8  RFLAGS: 00000046
                    RAX: 000000000000010a  RBX: 0000000000000105  RCX: 000000000000010b
                    RDX: 000000000000010c  RSI: 000000000000010d  RDI: 000000000000010e
                    RBP: 0000000000000104   R8: 0000000000000109   R9: 0000000000000108
                    R10: 0000000000000107  R11: 0000000000000106  R12: 0000000000000103
                    R13: 0000000000000102  R14: 0000000000000101  R15: 0000000000000100
                    ORIG_RAX: ffffffffffffffff  CS: 0010  SS: 0018
                """);
    }

    @Test
    void regsListsAllTwentySevenRegistersPerCpu() {
        CliRun run = crash("regs");

        assertEquals(ExitCodes.OK, run.exitCode(), run.stderr());
        List<String> lines = run.stdoutLines();
        assertEquals(2 * 28, lines.size(), run.stdout());
        assertEquals("CPU 0  PID: 0", lines.get(0));
        assertEquals("  r15      0000000000000000", lines.get(1));
        assertEquals("  rip      ffffffff81000105  do_nmi+0x5", lines.get(17));
        assertEquals("  gs       000000000000001a", lines.get(27));
        assertEquals("CPU 1  PID: 42", lines.get(28));
        assertEquals("  orig_rax ffffffffffffffff", lines.get(28 + 16));
    }

    @Test
    void rdDumpsQuadwordsAtVirtualPhysicalAndVmallocAddresses() {
        String expected = """
                ffff888000300000:  6f77202c6f6c6c65 0000000a21646c72   ello, world!....
                ffff888000300010:  ffffffffffffffff                    ........
                """;
        assertOk(crash("rd", "0xffff888000300000", "3"), expected);
        assertOk(crash("rd", "300000", "3"), expected.replace("ffff888000300", "0000000000300"));
        assertOk(crash("rd", "ffffc90000000000"), "ffffc90000000000:  21636f6c6c616d76                    vmalloc!\n");
        assertOk(crash("rd", "_stext"), "ffffffff81000000:  62616c696d6e90f4                    ..nmilab\n");
    }

    @Test
    void rdOutsideTheDumpIsBadInput() {
        assertBadInput(crash("rd", "ffff888003800000"),
                "nmilab: crash: rd: 0xffff888003800000 (physical 0x3800000) is not in the vmcore");
        assertBadInput(crash("rd", "3800000"), "nmilab: crash: rd: physical 0x3800000 (8 bytes) is not in the vmcore");
        assertBadInput(crash("rd", "ffffc90000001000"),
                "nmilab: crash: rd: 0xffffc90000001000: not present at PT (entry 1 at 0xf07008 is 0x0)");
        assertBadInput(crash("rd", "zz"), "nmilab: crash: rd: 'zz' is neither a hexadecimal address nor a symbol");
    }

    @Test
    void vtopWalksThePageTables() {
        assertOk(crash("vtop", "ffffffff81000123"), """
                VIRTUAL           PHYSICAL
                ffffffff81000123  1000123

                PGD DIRECTORY: ffffffff80f00000
                PAGE DIRECTORY: f03063
                   PUD: f03ff0 => f04063
                   PMD: f04040 => 10001e3
                  PAGE: 1000000  (2MB)
                """);
        assertOk(crash("vtop", "ffffc90000000010"), """
                VIRTUAL           PHYSICAL
                ffffc90000000010  3000010

                PGD DIRECTORY: ffffffff80f00000
                PAGE DIRECTORY: f05063
                   PUD: f05000 => f06063
                   PMD: f06000 => f07063
                   PTE: f07000 => 8000000003000163
                  PAGE: 3000000  (4KB)
                """);
        assertOk(crash("vtop", "ffffc90000001000"), """
                VIRTUAL           PHYSICAL
                ffffc90000001000  (not mapped)

                PGD DIRECTORY: ffffffff80f00000
                PAGE DIRECTORY: f05063
                   PUD: f05000 => f06063
                   PMD: f06000 => f07063
                   PTE: f07008 => 0
                not present at PT (entry 1 at 0xf07008 is 0x0)
                """);
    }

    @Test
    void ptovAndSym() {
        assertOk(crash("ptov", "1000000"), "VIRTUAL           PHYSICAL\nffff888001000000  1000000\n");
        assertOk(crash("sym", "ffffffff81000213"), "ffffffff81000213 default_do_nmi+0x13\n");
        assertOk(crash("sym", "do_nmi"), "ffffffff81000100 do_nmi\n");
        assertBadInput(crash("sym", "ffff888000000000"), "nmilab: crash: sym: no symbol covers 0xffff888000000000");
    }

    @Test
    void badCommandsAndBadVmcoresExitTwoWithOneLine() throws IOException {
        assertBadInput(crash("dis", "do_nmi"),
                "nmilab: crash: unknown command 'dis' (commands: log, bt, regs, rd, vtop, ptov, sym)");
        assertBadInput(crash("vtop"), "nmilab: crash: vtop: usage: vtop ADDRESS|SYMBOL");
        Path text = temp.resolve("vmcore.bad");
        Files.writeString(text, "this is not a vmcore\n");
        assertBadInput(CliRun.of("crash", text.toString(), "log"),
                "nmilab: " + text + ": not an ELF file (magic 0x7f454c46 expected)");
        Path cut = temp.resolve("vmcore.cut");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(vmcore), 100));
        assertBadInput(CliRun.of("crash", cut.toString(), "bt"), "nmilab: " + cut
                + ": truncated: program header 0 extends past the end of the file (offset 64, size 56; the file has 100 bytes)");
        Path missing = temp.resolve("nothing-here");
        assertBadInput(CliRun.of("crash", missing.toString()), "nmilab: " + missing + ": no such file");
    }

    @Test
    void withoutACommandItReadsCommandsAtAPrompt() {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("sym do_nmi\n\nbogus\nptov 2000\nq\nsym _stext\n"
                    .getBytes(StandardCharsets.UTF_8)));
            CliRun run = crash();

            assertEquals(ExitCodes.OK, run.exitCode(), run.stderr());
            assertEquals("crash> ffffffff81000100 do_nmi\ncrash> crash> crash> VIRTUAL           PHYSICAL\n"
                    + "ffff888000002000  2000\ncrash> ", run.stdout());
            assertEquals(List.of("crash: unknown command 'bogus' (commands: log, bt, regs, rd, vtop, ptov, sym)"),
                    run.stderrLines());
        } finally {
            System.setIn(stdin);
        }
    }
}
