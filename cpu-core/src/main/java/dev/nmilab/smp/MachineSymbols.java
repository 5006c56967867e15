package dev.nmilab.smp;

import dev.nmilab.event.Symbolizer;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every symbol the machine knows (loaded stubs, gates), for {@code symbol+0xoff} everywhere. */
public final class MachineSymbols implements Symbolizer {
    private final TreeMap<Long, String> byAddress = new TreeMap<>(Long::compareUnsigned);
    private final TreeMap<String, Long> byName = new TreeMap<>();
    private final TreeMap<Long, Long> extents = new TreeMap<>(Long::compareUnsigned);

    /** Symbols of a loaded region [start, end): addresses outside every region print as hex. */
    public void addRegion(long start, long end, Map<String, Long> symbols) {
        extents.put(start, end);
        symbols.forEach((name, address) -> {
            byName.put(name, address);
            byAddress.merge(address, name, (a, b) -> a.compareTo(b) <= 0 ? a : b);
        });
    }

    public Optional<Long> address(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Map<String, Long> all() {
        return java.util.Collections.unmodifiableMap(byName);
    }

    @Override
    public String describe(long address) {
        Map.Entry<Long, Long> region = extents.floorEntry(address);
        Map.Entry<Long, String> symbol = byAddress.floorEntry(address);
        if (region == null || Long.compareUnsigned(address, region.getValue()) >= 0 || symbol == null
                || Long.compareUnsigned(symbol.getKey(), region.getKey()) < 0) {
            return String.format("0x%x", address);
        }
        long offset = address - symbol.getKey();
        return offset == 0 ? symbol.getValue() : String.format("%s+0x%x", symbol.getValue(), offset);
    }
}
