package dev.nmilab.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nmilab.asm.Symbol.Binding;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SymbolTableTest {

    private static final long BASE = 0xffffffff81000000L;

    private static final SymbolTable TABLE = new SymbolTable(BASE, 0x100, List.of(
            new Symbol("zeta_global", BASE + 0x10, 0, Binding.GLOBAL),
            new Symbol("alpha_local", BASE + 0x10, 0, Binding.LOCAL),
            new Symbol("second", BASE + 0x40, 0, Binding.WEAK),
            new Symbol("first", BASE + 0x40, 0, Binding.GLOBAL),
            new Symbol("end_marker", BASE + 0x100, 0, Binding.LOCAL)),
            Map.of("NR_VECTORS", 256L));

    @Test
    void symbolsAreSortedByUnsignedAddressThenName() {
        assertEquals(List.of("alpha_local", "zeta_global", "first", "second", "end_marker"),
                TABLE.symbols().stream().map(Symbol::name).toList());
    }

    @Test
    void aGlobalLabelIsPreferredOverALocalOneAtTheSameAddress() {
        assertEquals("zeta_global", TABLE.describe(BASE + 0x10));
        assertEquals("zeta_global+0x8", TABLE.describe(BASE + 0x18));
    }

    @Test
    void amongGlobalLabelsTheFirstByNameIsPreferred() {
        assertEquals("first+0xbf", TABLE.describe(BASE + 0xff));
    }

    @Test
    void addressesWithoutACoveringSymbolAreShownInHex() {
        assertEquals("0xffffffff8100000f", TABLE.describe(BASE + 0xf), "inside the image, below every symbol");
        assertEquals("0xffffffff81000100", TABLE.describe(BASE + 0x100), "one past the end");
        assertEquals("0x1000", TABLE.describe(0x1000));
        assertEquals(Optional.empty(), TABLE.symbolAt(BASE + 0xf));
    }

    @Test
    void constantsAreKeptApartFromAddresses() {
        assertEquals(Optional.of(256L), TABLE.constant("NR_VECTORS"));
        assertEquals(Optional.empty(), TABLE.addressOf("NR_VECTORS"));
        assertThrows(IllegalArgumentException.class, () -> TABLE.requireAddress("NR_VECTORS"));
    }

    @Test
    void lookupByName() {
        assertEquals(Optional.of(BASE + 0x40), TABLE.addressOf("second"));
        assertEquals(Optional.empty(), TABLE.addressOf("nowhere"));
    }

    @Test
    void symbolsOutsideTheImageAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SymbolTable(BASE, 0x10,
                List.of(new Symbol("below", BASE - 1, 0, Binding.LOCAL)), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new SymbolTable(BASE, 0x10,
                List.of(new Symbol("above", BASE + 0x11, 0, Binding.LOCAL)), Map.of()));
    }
}
