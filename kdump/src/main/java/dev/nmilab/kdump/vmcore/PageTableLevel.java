package dev.nmilab.kdump.vmcore;

/**
 * The four levels of x86-64 4-level paging (Intel SDM vol. 3 section 4.5) with the kernel's names
 * for them (arch/x86/include/asm/pgtable_64_types.h): which address bits index each table and
 * the page an entry maps when its PS bit is set.
 */
public enum PageTableLevel {
    PML4("PGD", 39, 0),
    PDPT("PUD", 30, 1L << 30),
    PD("PMD", 21, 2L << 20),
    PT("PTE", 12, 4096);

    private final String kernelName;
    private final int shift;
    private final long largePage;

    PageTableLevel(String kernelName, int shift, long largePage) {
        this.kernelName = kernelName;
        this.shift = shift;
        this.largePage = largePage;
    }

    /** pgd, pud, pmd, pte as the kernel calls the entries. */
    public String kernelName() {
        return kernelName;
    }

    /** The entry index of {@code virtual} in a table of this level. */
    public int index(long virtual) {
        return (int) ((virtual >>> shift) & 511);
    }

    /** Size of the page a leaf entry at this level maps (0 for PML4, which has no leaves). */
    public long pageSize() {
        return largePage;
    }

    public PageTableLevel next() {
        return values()[ordinal() + 1];
    }
}
