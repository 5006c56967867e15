package dev.nmilab.kdump.vmcore;

import dev.nmilab.memory.GuestMemory;
import dev.nmilab.memory.KernelLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Virtual-to-physical translation by walking 4-level page tables in memory, as the MMU does
 * (Intel SDM vol. 3 section 4.5) and crash's x86_64_kvtop does on a dump: PML4, PDPT, PD, PT,
 * stopping at a not-present entry or at a leaf with PS set (1 GiB at the PDPT, 2 MiB at the PD).
 */
public final class PageWalk {
    /** One entry the walk read: its level, where it sits physically, its value. */
    public record Step(PageTableLevel level, long entryAddress, long entry) {
    }

    /** The outcome of a walk. */
    public sealed interface Translation permits Mapped, NotMapped {
        long virtual();

        List<Step> steps();
    }

    /** {@code virtual} maps to {@code physical} through a leaf at {@code level} mapping a page of {@code pageSize}. */
    public record Mapped(long virtual, long physical, PageTableLevel level, long pageSize, List<Step> steps)
            implements Translation {
        public Mapped {
            steps = List.copyOf(steps);
        }
    }

    /** {@code virtual} does not translate; {@code reason} is one line. */
    public record NotMapped(long virtual, String reason, List<Step> steps) implements Translation {
        public NotMapped {
            steps = List.copyOf(steps);
        }
    }

    private PageWalk() {
    }

    /**
     * Translate {@code virtual} through the tables at physical {@code pgd}, reading entries from
     * {@code physical} (a PhysicalMemory, or a vmcore's {@link VmcoreReader#physical()}).
     */
    public static Translation vtop(GuestMemory physical, long pgd, long virtual) {
        List<Step> steps = new ArrayList<>();
        if ((virtual >> 47) != 0 && (virtual >> 47) != -1) {
            return new NotMapped(virtual, String.format("0x%x is not canonical (bits 63:47 differ)", virtual), steps);
        }
        long table = pgd & KernelPageTables.ADDRESS_MASK;
        for (PageTableLevel level : PageTableLevel.values()) {
            long slot = table + 8L * level.index(virtual);
            if (!physical.isBacked(slot, 8)) {
                return new NotMapped(virtual, String.format("%s table at 0x%x is not in memory", level, table), steps);
            }
            long entry = physical.readLong(slot);
            steps.add(new Step(level, slot, entry));
            if ((entry & KernelPageTables.PRESENT) == 0) {
                return new NotMapped(virtual, String.format("not present at %s (entry %d at 0x%x is 0x%x)", level,
                        level.index(virtual), slot, entry), steps);
            }
            boolean leaf = level == PageTableLevel.PT
                    || (level != PageTableLevel.PML4 && (entry & KernelPageTables.PSE) != 0);
            if (leaf) {
                long size = level.pageSize();
                long frame = entry & KernelPageTables.ADDRESS_MASK & ~(size - 1);
                return new Mapped(virtual, frame | (virtual & (size - 1)), level, size, steps);
            }
            table = entry & KernelPageTables.ADDRESS_MASK;
        }
        throw new AssertionError("a PT entry is always a leaf");
    }

    /** The direct-map address of a physical one (__va: PAGE_OFFSET + physical). */
    public static long ptov(long physical) {
        return KernelLayout.directMap(physical);
    }

    /**
     * A kernel address translated without tables where the kernel can (__pa): the direct map and
     * the kernel image mapping are linear; anything else needs {@link #vtop}.
     */
    public static OptionalLong linearToPhysical(long virtual) {
        if (Long.compareUnsigned(virtual - KernelLayout.START_KERNEL_MAP, KernelLayout.KERNEL_IMAGE_SIZE) < 0) {
            return OptionalLong.of(virtual - KernelLayout.START_KERNEL_MAP);
        }
        long directMapSize = 1L << 46; // 64 TiB of direct map with 4-level paging
        if (Long.compareUnsigned(virtual - KernelLayout.PAGE_OFFSET, directMapSize) < 0) {
            return OptionalLong.of(virtual - KernelLayout.PAGE_OFFSET);
        }
        return OptionalLong.empty();
    }
}
