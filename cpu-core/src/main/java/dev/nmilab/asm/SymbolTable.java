package dev.nmilab.asm;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The labels of one assembled image, for turning names into addresses and
 * addresses back into {@code name+0xoff} in traces.
 *
 * Addresses are compared as unsigned numbers (kernel text lives at
 * 0xffffffff81000000, negative as a Java long). Where several labels share
 * an address, the one a reader most likely means wins: a global label over a
 * local one, then the alphabetically first, so the choice never depends on
 * the order the linker happened to emit.
 */
public final class SymbolTable {

    /** Sorted by address, then name: the one order every listing uses. */
    static final Comparator<Symbol> BY_ADDRESS =
            Comparator.comparing(Symbol::address, Long::compareUnsigned).thenComparing(Symbol::name);

    /** Among labels at one address, the one to show. */
    private static final Comparator<Symbol> BY_PREFERENCE =
            Comparator.comparing((Symbol symbol) -> !symbol.isGlobal()).thenComparing(Symbol::name);

    private final long imageStart;
    private final long imageSize;
    private final List<Symbol> byAddress;
    /** Offset from imageStart to the preferred symbol there; offsets keep the order unsigned. */
    private final NavigableMap<Long, Symbol> preferredByOffset = new TreeMap<>();
    private final Map<String, Symbol> byName = new HashMap<>();
    private final SortedMap<String, Long> constants;

    /**
     * @param imageStart first address of the image the symbols label
     * @param imageSize  its length in bytes; every symbol must lie in [start, start + size]
     * @param symbols    labels with addresses in the image
     * @param constants  absolute symbols ({@code .set NAME, value}): values, not addresses
     */
    public SymbolTable(long imageStart, long imageSize, Collection<Symbol> symbols, Map<String, Long> constants) {
        if (imageSize < 0) {
            throw new IllegalArgumentException("image size must not be negative: " + imageSize);
        }
        this.imageStart = imageStart;
        this.imageSize = imageSize;
        this.byAddress = ImmutableList.sortedCopyOf(BY_ADDRESS, symbols);
        this.constants = ImmutableSortedMap.copyOf(constants);
        for (Symbol symbol : byAddress) {
            long offset = symbol.address() - imageStart;
            if (Long.compareUnsigned(offset, imageSize) > 0) {
                throw new IllegalArgumentException(symbol + " lies outside the image at 0x"
                        + Long.toHexString(imageStart) + " of " + imageSize + " bytes");
            }
            preferredByOffset.merge(offset, symbol, SymbolTable::preferred);
            byName.merge(symbol.name(), symbol, SymbolTable::preferred);
        }
    }

    private static Symbol preferred(Symbol a, Symbol b) {
        return BY_PREFERENCE.compare(a, b) <= 0 ? a : b;
    }

    /** The address of a label; a global label wins over a local one of the same name. */
    public Optional<Long> addressOf(String name) {
        return lookup(name).map(Symbol::address);
    }

    public Optional<Symbol> lookup(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The address of a label the caller knows must exist (an entry point it is about to run). */
    public long requireAddress(String name) {
        return addressOf(name).orElseThrow(() -> new IllegalArgumentException("no symbol '" + name + "' in the image"));
    }

    /** Every label, sorted by unsigned address and then by name. */
    public List<Symbol> symbols() {
        return byAddress;
    }

    /** Absolute symbols by name, sorted by name. */
    public SortedMap<String, Long> constants() {
        return constants;
    }

    public Optional<Long> constant(String name) {
        return Optional.ofNullable(constants.get(name));
    }

    /**
     * The label at or nearest below {@code address}, if the address lies in
     * the image and some label precedes it.
     */
    public Optional<Symbol> symbolAt(long address) {
        long offset = address - imageStart;
        if (Long.compareUnsigned(offset, imageSize) >= 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(preferredByOffset.floorEntry(offset)).map(Map.Entry::getValue);
    }

    /** {@code "sym"}, {@code "sym+0x1f"}, or the bare hex address when no label covers it. */
    public String describe(long address) {
        return symbolAt(address)
                .map(symbol -> symbol.address() == address
                        ? symbol.name()
                        : symbol.name() + "+0x" + Long.toHexString(address - symbol.address()))
                .orElseGet(() -> "0x" + Long.toHexString(address));
    }

    @Override
    public String toString() {
        return "SymbolTable[" + byAddress.size() + " symbols, " + constants.size() + " constants]";
    }
}
