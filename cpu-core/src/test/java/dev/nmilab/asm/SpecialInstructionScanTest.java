package dev.nmilab.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nmilab.asm.SpecialInstruction.Kind;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SpecialInstructionScanTest {

    private static final Assembler assembler = new Assembler();
    private static AssembledImage image;
    private static long sites;

    @BeforeAll
    static void assembleSites() throws AssemblyException {
        image = assembler.assemble("special_sites.S", TestSources.text("special_sites.S"));
        sites = image.symbols().requireAddress("sites");
    }

    private static List<SpecialInstruction> expected(long base) {
        return List.of(
                new SpecialInstruction(Kind.IRETQ, base + 0x1, 2),
                new SpecialInstruction(Kind.HLT, base + 0x3, 1),
                new SpecialInstruction(Kind.INT3, base + 0x4, 1),
                new SpecialInstruction(Kind.UD2, base + 0x5, 2),
                new SpecialInstruction(Kind.STI, base + 0x7, 1),
                new SpecialInstruction(Kind.CLI, base + 0x8, 1),
                new SpecialInstruction(Kind.POPF, base + 0x9, 1),
                new SpecialInstruction(Kind.IRET, base + 0xa, 1),
                new SpecialInstruction(Kind.IRET, base + 0xb, 2));
    }

    @Test
    void linkedImageScanFindsEverySiteAndNoData() {
        assertEquals(Assembler.DEFAULT_TEXT_ADDRESS, sites);
        // The int3 and hlt bytes in .rodata are data: only executable sections are scanned.
        assertEquals(expected(sites), image.specialInstructions());
        assertEquals(List.of(new SpecialInstruction(Kind.UD2, sites + 5, 2)), image.specialInstructions(Kind.UD2));
    }

    @Test
    void rawScanOfTheSameBytesAgreesWithTheElfScan() throws AssemblyException {
        long end = sites + image.symbols().lookup("sites").orElseThrow().size();
        byte[] text = image.bytesAt(sites, (int) (end - sites));
        assertEquals(image.specialInstructions(), assembler.scanSpecialInstructions(text, sites));
    }

    @Test
    void rawScanUsesTheGivenAddress() throws AssemblyException {
        byte[] patched = {(byte) 0x90, 0x48, (byte) 0xcf, (byte) 0xcc, 0x66, 0x48, (byte) 0xcf, 0x48, (byte) 0x9d};
        assertEquals(List.of(
                        new SpecialInstruction(Kind.IRETQ, 0x1001, 2),
                        new SpecialInstruction(Kind.INT3, 0x1003, 1),
                        new SpecialInstruction(Kind.IRETQ, 0x1004, 3),
                        new SpecialInstruction(Kind.POPF, 0x1007, 2)),
                assembler.scanSpecialInstructions(patched, 0x1000));
    }

    @Test
    void rawScanAtKernelAddressesParsesFullWidthAddresses() throws AssemblyException {
        assertEquals(List.of(new SpecialInstruction(Kind.HLT, 0xffffffffff600002L, 1)),
                assembler.scanSpecialInstructions(new byte[] {(byte) 0x90, (byte) 0x90, (byte) 0xf4},
                        0xffffffffff600000L));
    }

    @Test
    void emptyCodeHasNoSites() throws AssemblyException {
        assertEquals(List.of(), assembler.scanSpecialInstructions(new byte[0], 0x1000));
    }

    @Test
    void lengthsOutsideTheArchitecturalRangeAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SpecialInstruction(Kind.HLT, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SpecialInstruction(Kind.HLT, 0, 16));
    }
}
