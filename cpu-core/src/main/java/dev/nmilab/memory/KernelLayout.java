package dev.nmilab.memory;

/** The x86-64 kernel virtual layout nmilab uses (Documentation/arch/x86/x86_64/mm.rst, 4-level paging). */
public final class KernelLayout {
    /** Direct map of all physical memory (page_offset_base without KASLR). */
    public static final long PAGE_OFFSET = 0xffff_8880_0000_0000L;
    /** vmalloc and ioremap space. */
    public static final long VMALLOC_START = 0xffff_c900_0000_0000L;
    /** cpu_entry_area: per-CPU GDT, TSS and exception stacks with guard holes. */
    public static final long CPU_ENTRY_AREA_BASE = 0xffff_fe00_0000_0000L;
    /** __START_KERNEL_map: the kernel image mapping, physical 0 at this address. */
    public static final long START_KERNEL_MAP = 0xffff_ffff_8000_0000L;
    /** Kernel text (__START_KERNEL with the default CONFIG_PHYSICAL_START of 16 MiB). */
    public static final long KERNEL_TEXT = 0xffff_ffff_8100_0000L;
    public static final long KERNEL_TEXT_PHYSICAL = 0x100_0000L;
    /** Size of the kernel image mapping (KERNEL_IMAGE_SIZE). */
    public static final long KERNEL_IMAGE_SIZE = 1L << 30;

    private KernelLayout() {
    }

    public static long directMap(long physical) {
        return PAGE_OFFSET + physical;
    }
}
