package dev.nmilab.smp;

import dev.nmilab.memory.KernelLayout;

/**
 * Where the boot structures of each CPU live. Physical: the shared IDT at 1 MiB, then 128 KiB
 * per CPU. Virtual: GDT, TSS and the four exception stacks sit in the cpu_entry_area with an
 * unmapped guard page below each stack (arch/x86/include/asm/cpu_entry_area.h), so overflowing
 * one faults; the kernel stack and the per-CPU area are reached through the direct map.
 *
 * <pre>
 *  per-CPU offset   what                     mapped in
 *  0x00000          GDT                      cpu_entry_area
 *  0x01000          TSS (x86_hw_tss)         cpu_entry_area
 *  0x02000          per-CPU data (GS base)   direct map
 *  0x04000-0x08000  kernel stack (16 KiB)    direct map
 *  0x08000          guard                    -
 *  0x09000          #DF stack   IST1         cpu_entry_area
 *  0x0a000          guard                    -
 *  0x0b000          NMI stack   IST2         cpu_entry_area
 *  0x0c000          guard                    -
 *  0x0d000          #DB stack   IST3         cpu_entry_area
 *  0x0e000          guard                    -
 *  0x0f000          #MC stack   IST4         cpu_entry_area
 * </pre>
 */
public final class BootLayout {
    public static final long IDT_PHYSICAL = 0x10_0000L;
    public static final long PER_CPU_PHYSICAL = 0x20_0000L;
    public static final long PER_CPU_STRIDE = 0x2_0000L;
    public static final int MAX_CPUS = 64;

    public static final long GDT_OFFSET = 0x0000;
    public static final long TSS_OFFSET = 0x1000;
    public static final long PERCPU_OFFSET = 0x2000;
    public static final long KERNEL_STACK_OFFSET = 0x4000;
    public static final long KERNEL_STACK_SIZE = 0x4000;

    /** Linux 6.1 IST numbers: ESTACK_DF, ESTACK_NMI, ESTACK_DB, ESTACK_MCE plus one. */
    public static final int IST_DF = 1;
    public static final int IST_NMI = 2;
    public static final int IST_DB = 3;
    public static final int IST_MCE = 4;

    private static final long[] IST_STACK_OFFSET = {0, 0x9000, 0xb000, 0xd000, 0xf000};

    private BootLayout() {
    }

    /** The IST each vector uses in Linux 6.1 (arch/x86/kernel/idt.c: ISTG entries); others use none. */
    public static java.util.Map<Integer, Integer> defaultIst() {
        return java.util.Map.of(dev.nmilab.x86.Vector.DF, IST_DF, dev.nmilab.x86.Vector.NMI, IST_NMI,
                dev.nmilab.x86.Vector.DB, IST_DB, dev.nmilab.x86.Vector.MC, IST_MCE);
    }

    public static long perCpuPhysical(int cpu) {
        return PER_CPU_PHYSICAL + cpu * PER_CPU_STRIDE;
    }

    public static long entryArea(int cpu) {
        return KernelLayout.CPU_ENTRY_AREA_BASE + cpu * PER_CPU_STRIDE;
    }

    public static long gdt(int cpu) {
        return entryArea(cpu) + GDT_OFFSET;
    }

    public static long tss(int cpu) {
        return entryArea(cpu) + TSS_OFFSET;
    }

    public static long idt() {
        return KernelLayout.directMap(IDT_PHYSICAL);
    }

    public static long perCpuArea(int cpu) {
        return KernelLayout.directMap(perCpuPhysical(cpu) + PERCPU_OFFSET);
    }

    public static long kernelStackTop(int cpu) {
        return KernelLayout.directMap(perCpuPhysical(cpu) + KERNEL_STACK_OFFSET + KERNEL_STACK_SIZE);
    }

    /** Offset in the per-CPU block of the page holding exception stack {@code ist} (1..4). */
    public static long istStackOffset(int ist) {
        return IST_STACK_OFFSET[ist];
    }

    /** Top (initial RSP) of exception stack {@code ist} of {@code cpu}, in the cpu_entry_area. */
    public static long istTop(int cpu, int ist) {
        return entryArea(cpu) + IST_STACK_OFFSET[ist] + 0x1000;
    }

    /** The lowest physical address free for other uses (above every CPU's block). */
    public static long firstFreePhysical() {
        return PER_CPU_PHYSICAL + MAX_CPUS * PER_CPU_STRIDE;
    }
}
