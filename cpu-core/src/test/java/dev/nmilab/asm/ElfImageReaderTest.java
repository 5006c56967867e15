package dev.nmilab.asm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.asm.ToolRunner.Tool;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfImageReaderTest {

    private static final String SOURCE = """
            \t.text
            \t.globl start
            start:\tnop
            \tiretq
            \t.set LIMIT, 0x40
            \t.data
            value:\t.quad start
            """;

    @TempDir
    static Path directory;
    private static Path linked;
    private static byte[] elf;

    /** Links SOURCE with plain as and ld, outside the Assembler, so the reader is tested on its own. */
    @BeforeAll
    static void linkWithBinutils() throws Exception {
        ToolRunner tools = new ToolRunner(Duration.ofSeconds(60));
        Path source = Files.writeString(directory.resolve("plain.s"), SOURCE);
        Path object = directory.resolve("plain.o");
        Path script = Files.writeString(directory.resolve("plain.ld"), LinkerScript.forTextAddress(0x400000));
        linked = directory.resolve("plain.elf");
        assertEquals(0, tools.run(Tool.AS, List.of("--64", "-o", object.toString(), source.toString()),
                null, directory).exitCode());
        assertEquals(0, tools.run(Tool.LD, List.of("-m", "elf_x86_64", "-z", "noexecstack", "-T", script.toString(),
                "-o", linked.toString(), object.toString()), null, directory).exitCode());
        elf = Files.readAllBytes(linked);
    }

    @Test
    void readsSectionsIntoAFlatImageAndSymbols() throws ElfFormatException {
        ElfImageReader.LinkedImage image = ElfImageReader.read("plain.elf", elf);

        assertEquals(0x400000L, image.loadAddress());
        assertEquals(0x1008, image.bytes().length, ".data starts on the page after .text; .rodata is empty");
        assertArrayEquals(new byte[] {(byte) 0x90, 0x48, (byte) 0xcf}, Arrays.copyOf(image.bytes(), 3));
        long value = ByteBuffer.wrap(image.bytes(), 0x1000, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0x400000L, value, "the .data quad was relocated to start's address");
        assertEquals(List.of(new Symbol("start", 0x400000L, 0, Symbol.Binding.GLOBAL),
                new Symbol("value", 0x401000L, 0, Symbol.Binding.LOCAL)), image.symbols().symbols());
        assertEquals(0x40L, image.symbols().constant("LIMIT").orElseThrow());
    }

    @Test
    void loadElfAddsSpecialInstructionSites() throws AssemblyException {
        AssembledImage image = new Assembler().loadElf(linked);
        assertEquals(List.of(new SpecialInstruction(SpecialInstruction.Kind.IRETQ, 0x400001L, 2)),
                image.specialInstructions());
        assertEquals(linked.toString(), image.name());
    }

    @Test
    void textFileIsNotElf() throws Exception {
        Path notes = Files.writeString(directory.resolve("notes.txt"), "this is not an executable\n");
        ElfFormatException error = assertThrows(ElfFormatException.class, () -> new Assembler().loadElf(notes));
        assertEquals(notes + ": not an ELF file (no \\x7fELF magic)", error.getMessage());
    }

    @Test
    void shortInputIsNotElf() {
        ElfFormatException error = assertThrows(ElfFormatException.class,
                () -> ElfImageReader.read("tiny", new byte[] {0x7f, 'E', 'L', 'F'}));
        assertEquals("tiny: not an ELF file (no \\x7fELF magic)", error.getMessage());
    }

    @Test
    void elf32IsRejected() {
        byte[] patched = elf.clone();
        patched[4] = 1;
        ElfFormatException error = assertThrows(ElfFormatException.class, () -> ElfImageReader.read("x.elf", patched));
        assertEquals("x.elf: not ELF64 (EI_CLASS 1)", error.getMessage());
    }

    @Test
    void otherMachinesAreRejected() {
        byte[] patched = elf.clone();
        patched[18] = (byte) 183; // EM_AARCH64
        ElfFormatException error = assertThrows(ElfFormatException.class, () -> ElfImageReader.read("x.elf", patched));
        assertEquals("x.elf: machine 183 is not x86-64 (62)", error.getMessage());
    }

    @Test
    void relocatableObjectsAreRejected() {
        byte[] patched = elf.clone();
        patched[16] = 1; // ET_REL
        ElfFormatException error = assertThrows(ElfFormatException.class, () -> ElfImageReader.read("x.o", patched));
        assertEquals("x.o: ELF type 1 is not a linked executable (ET_EXEC)", error.getMessage());
    }

    @Test
    void truncatedFileIsReportedNotIndexedPast() {
        byte[] truncated = Arrays.copyOf(elf, elf.length - 100);
        ElfFormatException error = assertThrows(ElfFormatException.class, () -> ElfImageReader.read("cut.elf", truncated));
        assertTrue(error.getMessage().startsWith("cut.elf: "), error.getMessage());
        assertTrue(error.getMessage().contains("truncated?"), error.getMessage());
    }

    @Test
    void missingFileIsReported() {
        Path absent = directory.resolve("absent.elf");
        AssemblyException error = assertThrows(AssemblyException.class, () -> new Assembler().loadElf(absent));
        assertEquals(absent + ": no such file", error.getMessage());
    }
}
