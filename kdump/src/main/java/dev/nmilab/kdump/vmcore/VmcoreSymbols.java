package dev.nmilab.kdump.vmcore;

import dev.nmilab.memory.KernelLayout;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Symbol look-ups on a vmcore's NMILAB note: {@code symbol+0xoff} for addresses in the kernel
 * image mapping (where all of nmilab's code and data symbols live), the address of a name.
 */
public final class VmcoreSymbols {
    private final TreeMap<Long, String> byAddress = new TreeMap<>(Long::compareUnsigned);
    private final TreeMap<String, Long> byName;

    public VmcoreSymbols(Map<String, Long> symbols) {
        this.byName = new TreeMap<>(symbols);
        symbols.forEach((name, address) -> byAddress.merge(address, name, (a, b) -> a.compareTo(b) <= 0 ? a : b));
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    public OptionalLong address(String name) {
        Long address = byName.get(name);
        return address == null ? OptionalLong.empty() : OptionalLong.of(address);
    }

    /** The symbol at or below {@code address} and the offset from it, for an address in the kernel image. */
    public Optional<Map.Entry<String, Long>> nearest(long address) {
        if (Long.compareUnsigned(address - KernelLayout.START_KERNEL_MAP, KernelLayout.KERNEL_IMAGE_SIZE) >= 0) {
            return Optional.empty();
        }
        Map.Entry<Long, String> below = byAddress.floorEntry(address);
        if (below == null || Long.compareUnsigned(below.getKey(), KernelLayout.START_KERNEL_MAP) < 0) {
            return Optional.empty();
        }
        return Optional.of(Map.entry(below.getValue(), address - below.getKey()));
    }

    /** {@code name}, {@code name+0x1f}, or empty when no symbol covers the address. */
    public Optional<String> describe(long address) {
        return nearest(address).map(e -> e.getValue() == 0 ? e.getKey()
                : e.getKey() + "+0x" + Long.toHexString(e.getValue()));
    }
}
