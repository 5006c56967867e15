package dev.nmilab.memory;

/** Virtual [virtualStart, virtualStart+size) backed by physical [physicalStart, ...). */
public record Mapping(String name, long virtualStart, long physicalStart, long size, int perms) {
    public Mapping {
        if (size <= 0 || size % PhysicalMemory.PAGE_SIZE != 0 || virtualStart % PhysicalMemory.PAGE_SIZE != 0
                || physicalStart % PhysicalMemory.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("mapping " + name + " must be page aligned");
        }
    }

    public boolean contains(long virtualAddress, long length) {
        long offset = virtualAddress - virtualStart;
        return Long.compareUnsigned(offset, size) < 0 && Long.compareUnsigned(length, size - offset) <= 0;
    }

    public long virtualEnd() {
        return virtualStart + size;
    }
}
