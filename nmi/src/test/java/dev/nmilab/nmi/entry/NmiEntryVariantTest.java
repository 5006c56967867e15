package dev.nmilab.nmi.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.asm.AssembledImage;
import dev.nmilab.asm.Assembler;
import dev.nmilab.asm.AssemblyException;
import dev.nmilab.asm.SpecialInstruction;
import dev.nmilab.gate.GateTable;
import dev.nmilab.smp.BootLayout;
import dev.nmilab.x86.Vector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NmiEntryVariantTest {
    private static final long DO_NMI = GateTable.BASE;

    private static AssembledImage assemble(NmiEntryVariant variant) throws AssemblyException {
        return new Assembler().withExternalSymbols(Map.of("do_nmi", DO_NMI))
                .assemble(variant.resourceName(), variant.source());
    }

    @Test
    void resourcesLiveInTheEntryPackage() {
        assertEquals("dev/nmilab/nmi/entry/nested-safe.S", NmiEntryVariant.NESTED_SAFE.resourceName());
        assertEquals("dev/nmilab/nmi/entry/naive.S", NmiEntryVariant.NAIVE.resourceName());
        assertEquals("dev/nmilab/nmi/entry/i386-latch.S", NmiEntryVariant.I386_LATCH.resourceName());
    }

    /** Alone, each stub calls the do_nmi gate: NMI_HANDLER defaults to it. */
    @ParameterizedTest
    @EnumSource(NmiEntryVariant.class)
    void assemblesAloneAndCallsDoNmi(NmiEntryVariant variant) throws AssemblyException {
        AssembledImage image = assemble(variant);
        long entry = image.symbols().requireAddress("asm_exc_nmi");
        assertEquals(image.loadAddress(), entry);
        byte[] code = image.bytes();
        boolean callsGate = false;
        for (int i = 0; i + 5 <= code.length; i++) {
            if ((code[i] & 0xff) == 0xe8) {
                int rel = (code[i + 1] & 0xff) | (code[i + 2] & 0xff) << 8 | (code[i + 3] & 0xff) << 16
                        | (code[i + 4] & 0xff) << 24;
                callsGate |= image.loadAddress() + i + 5 + rel == DO_NMI;
            }
        }
        assertTrue(callsGate, variant + " has a call to do_nmi");
        assertFalse(image.specialInstructions(SpecialInstruction.Kind.IRETQ).isEmpty());
    }

    @Test
    void nestedSafeDefinesEntry64Labels() throws AssemblyException {
        AssembledImage image = assemble(NmiEntryVariant.NESTED_SAFE);
        long previous = image.loadAddress() - 1;
        for (String label : List.of("asm_exc_nmi", "nested_nmi", "nested_nmi_out", "first_nmi", "repeat_nmi",
                "end_repeat_nmi", "nmi_restore")) {
            long address = image.symbols().requireAddress(label);
            assertTrue(Long.compareUnsigned(address, previous) > 0, label + " follows in entry_64.S order");
            previous = address;
        }
        assertEquals(2, image.specialInstructions(SpecialInstruction.Kind.IRETQ).size(),
                "nested_nmi_out's and nmi_restore's");
    }

    @Test
    void onlyTheI386LatchTakesNmisWithoutAnIst() {
        assertEquals(BootLayout.IST_NMI, NmiEntryVariant.NESTED_SAFE.nmiIst());
        assertEquals(BootLayout.IST_NMI, NmiEntryVariant.NAIVE.nmiIst());
        assertEquals(0, NmiEntryVariant.I386_LATCH.nmiIst());
        assertEquals(BootLayout.defaultIst(), Map.copyOf(NmiEntryVariant.NESTED_SAFE.istByVector()));
        Map<Integer, Integer> i386 = NmiEntryVariant.I386_LATCH.istByVector();
        assertFalse(i386.containsKey(Vector.NMI));
        assertEquals(BootLayout.IST_DF, i386.get(Vector.DF));
        assertEquals(BootLayout.IST_MCE, i386.get(Vector.MC));
    }
}
