package dev.nmilab.kdump.vmcore;

import dev.nmilab.memory.GuestMemory;
import dev.nmilab.memory.KernelLayout;

/**
 * Real x86-64 4-level page tables for the kernel's mappings, built in emulated physical memory the
 * way the kernel's own are (arch/x86/mm/init_64.c: phys_p4d_init, phys_pud_init, phys_pmd_init):
 * the direct map with 1 GiB pages where aligned and 2 MiB pages elsewhere, the kernel image with
 * 2 MiB pages (head_64.S: level2_kernel_pgt), and single 4 KiB pages for vmalloc-style mappings.
 * Table pages come from a bump range the caller reserves; {@link #pgd()} is what CR3,
 * init_top_pgt and swapper_pg_dir hold.
 */
public final class KernelPageTables {
    public static final long PRESENT = 1L;
    public static final long RW = 1L << 1;
    public static final long ACCESSED = 1L << 5;
    public static final long DIRTY = 1L << 6;
    public static final long PSE = 1L << 7;
    public static final long GLOBAL = 1L << 8;
    public static final long NX = 1L << 63;
    /** Bits 51:12 of an entry: the physical address of the next table or of a 4 KiB page. */
    public static final long ADDRESS_MASK = 0x000f_ffff_ffff_f000L;

    /** _KERNPG_TABLE: what a kernel entry that points at a lower table carries. */
    static final long KERNPG_TABLE = PRESENT | RW | ACCESSED | DIRTY;
    /** __PAGE_KERNEL: a writable, non-executable kernel page (direct map, vmalloc). */
    public static final long PAGE_KERNEL = PRESENT | RW | ACCESSED | DIRTY | GLOBAL | NX;
    /** __PAGE_KERNEL_EXEC: a kernel page that may be executed (the kernel image). */
    public static final long PAGE_KERNEL_EXEC = PRESENT | RW | ACCESSED | DIRTY | GLOBAL;

    private static final long PAGE = 4096;

    private final GuestMemory physical;
    private final long end;
    private final long pgd;
    private long next;

    /** Tables are taken from physical [start, end) (page-aligned), the PGD first. */
    public KernelPageTables(GuestMemory physical, long start, long end) {
        if (start % PAGE != 0 || end < start || !physical.isBacked(start, end - start)) {
            throw new IllegalArgumentException(String.format("page-table range [0x%x, 0x%x) is not page-aligned memory",
                    start, end));
        }
        this.physical = physical;
        this.end = end;
        this.next = start;
        this.pgd = allocate();
    }

    /** Physical address of the top-level table (PML4). */
    public long pgd() {
        return pgd;
    }

    /** Physical address of the first table byte not yet used. */
    public long allocated() {
        return next;
    }

    /** The direct map: PAGE_OFFSET + [0, size) onto physical [0, size). */
    public KernelPageTables mapDirectMap(long size) {
        long physicalAddress = 0;
        while (physicalAddress < size) {
            long left = size - physicalAddress;
            long virtual = KernelLayout.directMap(physicalAddress);
            if (physicalAddress % (1L << 30) == 0 && left >= 1L << 30) {
                map(virtual, physicalAddress, PageTableLevel.PDPT, PAGE_KERNEL);
                physicalAddress += 1L << 30;
            } else if (physicalAddress % (2L << 20) == 0 && left >= 2L << 20) {
                map(virtual, physicalAddress, PageTableLevel.PD, PAGE_KERNEL);
                physicalAddress += 2L << 20;
            } else {
                map(virtual, physicalAddress, PageTableLevel.PT, PAGE_KERNEL);
                physicalAddress += PAGE;
            }
        }
        return this;
    }

    /** The kernel image: __START_KERNEL_map + physical for [start, end), in 2 MiB pages covering it. */
    public KernelPageTables mapKernelImage(long start, long end) {
        long page = 2L << 20;
        for (long at = start / page * page; at < end; at += page) {
            map(KernelLayout.START_KERNEL_MAP + at, at, PageTableLevel.PD, PAGE_KERNEL_EXEC);
        }
        return this;
    }

    /** One 4 KiB page (vmalloc, ioremap, fixmap). */
    public KernelPageTables map4k(long virtual, long physicalAddress, long flags) {
        return map(virtual, physicalAddress, PageTableLevel.PT, flags);
    }

    /**
     * Map one page whose leaf entry sits at {@code leaf} (PDPT: 1 GiB, PD: 2 MiB, PT: 4 KiB).
     *
     * @throws IllegalStateException when part of the page is already mapped
     */
    public KernelPageTables map(long virtual, long physicalAddress, PageTableLevel leaf, long flags) {
        long size = leaf.pageSize();
        if (leaf == PageTableLevel.PML4 || virtual % size != 0 || physicalAddress % size != 0) {
            throw new IllegalArgumentException(String.format("cannot map 0x%x -> 0x%x with a %s entry", virtual,
                    physicalAddress, leaf));
        }
        long table = pgd;
        for (PageTableLevel level = PageTableLevel.PML4; level != leaf; level = level.next()) {
            long slot = table + 8L * level.index(virtual);
            long entry = physical.readLong(slot);
            if ((entry & PRESENT) == 0) {
                long child = allocate();
                physical.writeLong(slot, child | KERNPG_TABLE);
                table = child;
            } else if ((entry & PSE) != 0) {
                throw new IllegalStateException(String.format("0x%x is already mapped by a %s page", virtual,
                        size(level.pageSize())));
            } else {
                table = entry & ADDRESS_MASK;
            }
        }
        long slot = table + 8L * leaf.index(virtual);
        if ((physical.readLong(slot) & PRESENT) != 0) {
            throw new IllegalStateException(String.format("0x%x is already mapped at the %s level", virtual, leaf));
        }
        physical.writeLong(slot, physicalAddress | flags | (leaf == PageTableLevel.PT ? 0 : PSE));
        return this;
    }

    private long allocate() {
        if (next + PAGE > end) {
            throw new IllegalStateException(String.format("page-table range ends at 0x%x: no room for another table",
                    end));
        }
        long page = next;
        physical.write(page, new byte[(int) PAGE]);
        next += PAGE;
        return page;
    }

    static String size(long bytes) {
        return bytes >= 1L << 30 ? (bytes >> 30) + "GB" : bytes >= 1L << 20 ? (bytes >> 20) + "MB" : (bytes >> 10) + "KB";
    }
}
