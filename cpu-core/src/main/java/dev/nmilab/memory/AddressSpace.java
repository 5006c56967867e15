package dev.nmilab.memory;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A set of virtual-to-physical mappings: the machine's kernel page tables (init_mm), or
 * one CPU's current view of them. Reads and writes by virtual address go to physical memory.
 */
public final class AddressSpace extends SegmentMemory {
    private final PhysicalMemory physical;
    private final TreeMap<Long, Mapping> byStart = new TreeMap<>(Long::compareUnsigned);
    private final List<MappingListener> listeners = new ArrayList<>();
    private final Mapping[] recentHits = new Mapping[4];
    private int nextRecent;

    /** Told when a mapping is added, so an engine can follow. */
    @FunctionalInterface
    public interface MappingListener {
        void mapped(Mapping mapping, MemorySegment host);
    }

    public AddressSpace(PhysicalMemory physical) {
        this.physical = physical;
    }

    public PhysicalMemory physical() {
        return physical;
    }

    public void map(Mapping mapping) {
        if (!physical.isBacked(mapping.physicalStart(), mapping.size())) {
            throw new IllegalArgumentException(String.format("mapping %s: physical 0x%x +0x%x is beyond memory",
                    mapping.name(), mapping.physicalStart(), mapping.size()));
        }
        Map.Entry<Long, Mapping> below = byStart.floorEntry(mapping.virtualEnd() - 1);
        if (below != null && Long.compareUnsigned(below.getValue().virtualEnd(), mapping.virtualStart()) > 0) {
            throw new IllegalArgumentException("mapping " + mapping.name() + " overlaps " + below.getValue().name());
        }
        byStart.put(mapping.virtualStart(), mapping);
        MemorySegment host = physical.slice(mapping.physicalStart(), mapping.size());
        for (MappingListener listener : listeners) {
            listener.mapped(mapping, host);
        }
    }

    /** Call {@code listener} for every mapping now and every one added later. */
    public void follow(MappingListener listener) {
        for (Mapping mapping : byStart.values()) {
            listener.mapped(mapping, physical.slice(mapping.physicalStart(), mapping.size()));
        }
        listeners.add(listener);
    }

    public Optional<Mapping> mappingOf(long virtualAddress) {
        return Optional.ofNullable(find(virtualAddress));
    }

    // mappings are only ever added, never moved or removed, so the last few hit stay right for
    // every address inside them (kernel code reads and writes per-CPU data and the log buffer a lot)
    private Mapping find(long virtualAddress) {
        for (Mapping recent : recentHits) {
            if (recent != null && recent.contains(virtualAddress, 1)) {
                return recent;
            }
        }
        Map.Entry<Long, Mapping> entry = byStart.floorEntry(virtualAddress);
        if (entry == null || !entry.getValue().contains(virtualAddress, 1)) {
            return null;
        }
        recentHits[nextRecent] = entry.getValue();
        nextRecent = (nextRecent + 1) % recentHits.length;
        return entry.getValue();
    }

    public List<Mapping> mappings() {
        return List.copyOf(byStart.values());
    }

    /** The physical address behind a virtual one, or empty when unmapped. */
    public Optional<Long> translate(long virtualAddress) {
        return mappingOf(virtualAddress).map(m -> m.physicalStart() + (virtualAddress - m.virtualStart()));
    }

    @Override
    public boolean isBacked(long address, long length) {
        Optional<Mapping> mapping = mappingOf(address);
        return mapping.isPresent() && mapping.get().contains(address, length);
    }

    @Override
    protected MemorySegment segmentFor(long address, long length, String what) {
        Mapping mapping = find(address);
        if (mapping == null || !mapping.contains(address, length)) {
            throw new GuestMemoryException(address, length, "virtual " + what);
        }
        return physical.host();
    }

    @Override
    protected long offsetIn(long address) {
        Mapping mapping = find(address);
        if (mapping == null) {
            throw new GuestMemoryException(address, 1, "virtual address");
        }
        return mapping.physicalStart() + (address - mapping.virtualStart());
    }
}
