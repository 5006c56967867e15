package dev.nmilab.kdump.vmcore;

import dev.nmilab.memory.KernelLayout;
import dev.nmilab.memory.PhysicalMemory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small machine's worth of vmcore contents, built the same way every time. */
final class TestVmcores {
    static final long MEMORY = 64L << 20;
    static final long TABLES = 0xf0_0000L;
    static final long TABLES_END = 0x100_0000L;
    static final long IMAGE_START = KernelLayout.KERNEL_TEXT_PHYSICAL;
    static final long IMAGE_END = IMAGE_START + 0x3000;
    static final long DATA_PHYSICAL = 0x240_0000L;
    static final long VMALLOC_PHYSICAL = 0x300_0000L;
    static final Map<String, Long> SYMBOLS = Map.of(
            "_stext", KernelLayout.KERNEL_TEXT,
            "do_nmi", KernelLayout.KERNEL_TEXT + 0x100,
            "default_do_nmi", KernelLayout.KERNEL_TEXT + 0x200,
            "native_safe_halt", KernelLayout.KERNEL_TEXT + 0x1000);

    private TestVmcores() {
    }

    /** Registers for {@code count} CPUs with a recognisable value in every slot. */
    static List<CpuCrashRegisters> registers(int count) {
        List<CpuCrashRegisters> cpus = new ArrayList<>();
        for (int cpu = 0; cpu < count; cpu++) {
            long[] regs = new long[CpuCrashRegisters.NGREG];
            for (int i = 0; i < regs.length; i++) {
                regs[i] = 0x1111_0000_0000_0000L * (cpu + 1) + i;
            }
            regs[CpuCrashRegisters.ORIG_RAX] = -1;
            regs[CpuCrashRegisters.RIP] = KernelLayout.KERNEL_TEXT + 0x100 + 0x10 * cpu;
            regs[CpuCrashRegisters.CS] = 0x10;
            regs[CpuCrashRegisters.SS] = 0x18;
            regs[CpuCrashRegisters.EFLAGS] = 0x46;
            regs[CpuCrashRegisters.RSP] = KernelLayout.directMap(0x20_8000L + 0x2_0000L * cpu) - 0x58;
            cpus.add(new CpuCrashRegisters(cpu, 100 + cpu, regs));
        }
        return cpus;
    }

    /** Memory with a kernel image, a data page, page tables for the direct map, image and one vmalloc page. */
    static PhysicalMemory memory() {
        PhysicalMemory memory = new PhysicalMemory(MEMORY);
        for (long at = IMAGE_START; at < IMAGE_END; at += 8) {
            memory.writeLong(at, 0xc3c3_0000_0000_0000L | at);
        }
        for (long at = DATA_PHYSICAL; at < DATA_PHYSICAL + 0x2000; at += 8) {
            memory.writeLong(at, 0xda7a_0000_0000_0000L | at);
        }
        memory.writeLong(VMALLOC_PHYSICAL, 0x7661_6c6c_6f63_2121L);
        pageTables(memory);
        return memory;
    }

    static KernelPageTables pageTables(PhysicalMemory memory) {
        return new KernelPageTables(memory, TABLES, TABLES_END).mapDirectMap(MEMORY)
                .mapKernelImage(IMAGE_START, IMAGE_END)
                .map4k(KernelLayout.VMALLOC_START, VMALLOC_PHYSICAL, KernelPageTables.PAGE_KERNEL);
    }

    static String vmcoreinfo() {
        return Vmcoreinfo.builder("6.1.0-nmilab").symbol("init_top_pgt", KernelLayout.START_KERNEL_MAP + TABLES)
                .entries(Map.of("SYMBOL(log_buf)", Long.toHexString(KernelLayout.directMap(DATA_PHYSICAL))))
                .crashTime(1_700_000_000L).build();
    }

    static VmcoreContents contents(PhysicalMemory memory, int cpus) {
        return new VmcoreContents(registers(cpus), vmcoreinfo(), SYMBOLS, memory, IMAGE_START, IMAGE_END);
    }

    static Path write(Path file, int cpus) throws IOException {
        try (PhysicalMemory memory = memory()) {
            new VmcoreWriter().write(file, contents(memory, cpus));
        }
        return file;
    }
}
