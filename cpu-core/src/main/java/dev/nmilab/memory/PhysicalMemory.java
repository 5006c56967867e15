package dev.nmilab.memory;

import java.lang.foreign.MemorySegment;

/**
 * The machine's RAM, addressed physically from 0. One host reservation shared by every
 * CPU's engine (each maps slices of it with uc_mem_map_ptr), so a store by one CPU is
 * seen by all.
 */
public final class PhysicalMemory extends SegmentMemory implements AutoCloseable {
    public static final long PAGE_SIZE = 4096;
    /** The largest machine nmilab models. */
    public static final long MAX_SIZE = 1L << 40;

    private final long size;
    private MemorySegment pages;

    public PhysicalMemory(long size) {
        if (size < 16 * PAGE_SIZE || size > MAX_SIZE || size % (2L << 20) != 0) {
            throw new IllegalArgumentException("memory size must be a multiple of 2 MiB between 64 KiB and 1 TiB, got "
                    + size);
        }
        this.size = size;
        this.pages = HostPages.reserve(size);
    }

    public long size() {
        return size;
    }

    /** Host memory backing physical [address, address+length), for mapping into an engine. */
    public MemorySegment slice(long address, long length) {
        return segmentFor(address, length, "slice").asSlice(address, length);
    }

    /** Which 4 KiB pages the run has touched (residency in the host). */
    public byte[] touchedPages() {
        return HostPages.residency(live());
    }

    @Override
    public boolean isBacked(long address, long length) {
        return length >= 0 && address >= 0 && address <= size && length <= size - address;
    }

    @Override
    protected MemorySegment segmentFor(long address, long length, String what) {
        if (!isBacked(address, length)) {
            throw new GuestMemoryException(address, length, "physical " + what);
        }
        return live();
    }

    @Override
    protected long offsetIn(long address) {
        return address;
    }

    MemorySegment host() {
        return live();
    }

    private MemorySegment live() {
        if (pages == null) {
            throw new IllegalStateException("physical memory released");
        }
        return pages;
    }

    @Override
    public void close() {
        if (pages != null) {
            HostPages.release(pages);
            pages = null;
        }
    }
}
