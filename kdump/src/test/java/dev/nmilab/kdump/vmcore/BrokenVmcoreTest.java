package dev.nmilab.kdump.vmcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged, foreign and non-ELF files each give one line naming the file and what is wrong. */
class BrokenVmcoreTest {
    @TempDir
    Path temp;

    private byte[] good;

    @BeforeEach
    void writeAGoodVmcore() throws IOException {
        good = Files.readAllBytes(TestVmcores.write(temp.resolve("vmcore"), 2));
    }

    private VmcoreFormatException brokenBy(String name, byte[] bytes) throws IOException {
        Path file = temp.resolve(name);
        Files.write(file, bytes);
        VmcoreFormatException e = assertThrows(VmcoreFormatException.class, () -> VmcoreReader.open(file).close());
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    private byte[] patched(int offset, int value, int width) {
        byte[] bytes = good.clone();
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (width == 2) {
            buffer.putShort(offset, (short) value);
        } else {
            buffer.putInt(offset, value);
        }
        return bytes;
    }

    @Test
    void notAnElfFile() throws IOException {
        VmcoreFormatException e = brokenBy("vmcore.bad", "hello, world\n".repeat(10).getBytes());
        assertEquals(temp.resolve("vmcore.bad") + ": not an ELF file (magic 0x7f454c46 expected)", e.getMessage());
    }

    @Test
    void randomBytes() throws IOException {
        Random random = new Random(42);
        byte[] noise = new byte[8192];
        random.nextBytes(noise);
        noise[0] = 0x13;
        assertTrue(brokenBy("noise", noise).getMessage().endsWith(": not an ELF file (magic 0x7f454c46 expected)"));
    }

    @Test
    void randomBytesAfterAGoodElfHeaderNeverEscapeAsAnotherError() throws IOException {
        Random random = new Random(7);
        for (int round = 0; round < 40; round++) {
            byte[] bytes = good.clone();
            int from = 64 + random.nextInt(0x1400);
            for (int i = 0; i < 64; i++) {
                bytes[from + random.nextInt(0x200)] = (byte) random.nextInt();
            }
            Path file = temp.resolve("mangled" + round);
            Files.write(file, bytes);
            try (VmcoreReader reader = VmcoreReader.open(file)) {
                assertFalse(reader.cpus().isEmpty());
            } catch (VmcoreFormatException e) {
                assertTrue(e.getMessage().startsWith(file + ": ") && !e.getMessage().contains("\n"), e.getMessage());
            }
        }
    }

    @Test
    void truncatedAtSeveralPoints() throws IOException {
        String name = temp.resolve("cut").toString();
        assertEquals(name + ": truncated: 0 bytes, an ELF header has 64", brokenBy("cut", new byte[0]).getMessage());
        assertEquals(name + ": truncated: 3 bytes, an ELF header has 64",
                brokenBy("cut", Arrays.copyOf(good, 3)).getMessage());
        assertEquals(name + ": truncated: 40 bytes, an ELF header has 64",
                brokenBy("cut", Arrays.copyOf(good, 40)).getMessage());
        // program header 3 is at 64 + 3 * 56 = 232
        assertEquals(name + ": truncated: program header 3 extends past the end of the file "
                + "(offset 232, size 56; the file has 250 bytes)", brokenBy("cut", Arrays.copyOf(good, 250)).getMessage());
        assertEquals(name + ": truncated: segment 0 (PT_NOTE at 0x1000) extends past the end of the file "
                + "(offset 4096, size 1300; the file has 4200 bytes)",
                brokenBy("cut", Arrays.copyOf(good, 4200)).getMessage());
        assertEquals(name + ": truncated: segment 5 (PT_LOAD at 0xffff888003000000) extends past the end of the file "
                + "(offset 73728, size 4096; the file has 77000 bytes)",
                brokenBy("cut", Arrays.copyOf(good, 77000)).getMessage());
    }

    @Test
    void foreignCore() throws IOException {
        VmcoreFormatException e = brokenBy("vmcore.arm64", patched(18, 183, 2));
        assertEquals(temp.resolve("vmcore.arm64") + ": foreign core: e_machine 183 (AArch64), expected 62 (x86-64)",
                e.getMessage());
    }

    @Test
    void anExecutableIsNotACore() throws IOException {
        assertTrue(brokenBy("a.out", patched(16, 2, 2)).getMessage()
                .endsWith(": not a core file: e_type 2 (EXEC), expected 4 (CORE)"));
    }

    @Test
    void aThirtyTwoBitElfIsForeign() throws IOException {
        byte[] bytes = good.clone();
        bytes[4] = 1;
        assertTrue(brokenBy("x32", bytes).getMessage()
                .endsWith(": foreign core: EI_CLASS 1, EI_DATA 1, expected 2 (ELF64) and 1 (little-endian)"));
    }

    @Test
    void aNoteThatOverrunsItsSegment() throws IOException {
        // the first note's descsz, at the start of the PT_NOTE (0x1000 + 4)
        VmcoreFormatException e = brokenBy("note", patched(0x1004, 0x10000, 4));
        assertTrue(e.getMessage().endsWith(": note at offset 0 of the PT_NOTE overruns it "
                + "(namesz 5, descsz 65536, segment 1300 bytes)"), e.getMessage());
    }

    @Test
    void aPrstatusOfTheWrongSize() throws IOException {
        byte[] notes = ElfNote.encodeAll(java.util.List.of(new ElfNote("CORE", 1, new byte[332]),
                new ElfNote("VMCOREINFO", 0, "OSRELEASE=6.1\n".getBytes())));
        ByteBuffer elf = ByteBuffer.wrap(Arrays.copyOf(good, 64 + 56 + notes.length)).order(ByteOrder.LITTLE_ENDIAN);
        elf.putShort(56, (short) 1);
        elf.position(64);
        elf.put(ProgramHeader.note(120, notes.length).encode()).put(notes);

        assertTrue(brokenBy("prstatus", elf.array()).getMessage()
                .endsWith(": NT_PRSTATUS note 0 has 332 bytes, expected 336 (x86-64 elf_prstatus)"));
    }

    @Test
    void aDumpWithoutVmcoreinfo() throws IOException {
        // rename the VMCOREINFO note's type so no reader takes it for one
        int vmcoreinfoNote = 0x1000 + 2 * (12 + 8 + 336);
        assertTrue(brokenBy("user.core", patched(vmcoreinfoNote + 8, 0x4e, 4)).getMessage()
                .endsWith(": no VMCOREINFO note: not a kernel crash dump"));
    }
}
