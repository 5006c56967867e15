package dev.nmilab.memory;

import java.lang.foreign.MemorySegment;

/**
 * One region of the kernel's direct map seen by its virtual addresses, without the page-table
 * lookup of {@link AddressSpace}: virtual [virtualStart, +size) is physical [physicalStart, +size).
 * For Java kernel code that writes one structure a great deal (the printk ring buffer).
 */
public final class DirectMapWindow extends SegmentMemory {
    private final PhysicalMemory physical;
    private final long virtualStart;
    private final long physicalStart;
    private final long size;

    public DirectMapWindow(PhysicalMemory physical, long virtualStart, long physicalStart, long size) {
        if (size <= 0 || !physical.isBacked(physicalStart, size)) {
            throw new IllegalArgumentException(String.format("physical 0x%x +0x%x is not memory", physicalStart, size));
        }
        this.physical = physical;
        this.virtualStart = virtualStart;
        this.physicalStart = physicalStart;
        this.size = size;
    }

    @Override
    public boolean isBacked(long address, long length) {
        long offset = address - virtualStart;
        return length >= 0 && Long.compareUnsigned(offset, size) < 0 && Long.compareUnsigned(length, size - offset) <= 0;
    }

    @Override
    protected MemorySegment segmentFor(long address, long length, String what) {
        if (!isBacked(address, length)) {
            throw new GuestMemoryException(address, length, "virtual " + what + " outside the window");
        }
        return physical.host();
    }

    @Override
    protected long offsetIn(long address) {
        return physicalStart + (address - virtualStart);
    }
}
