package dev.nmilab.asm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Linked stubs reused by content: the same image as a fresh build, and never a wrong one. */
class StubCacheTest {
    private static final String STUB = """
            .text
            .globl entry
            entry:
                call do_work
                iretq
            """;

    @TempDir
    Path cache;

    private static List<Path> entries(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    private static void assertSameImage(AssembledImage expected, AssembledImage actual) {
        assertEquals(expected.loadAddress(), actual.loadAddress());
        assertArrayEquals(expected.bytes(), actual.bytes());
        assertEquals(expected.symbols().symbols(), actual.symbols().symbols());
        assertEquals(expected.specialInstructions(), actual.specialInstructions());
    }

    @Test
    void aHitGivesWhatAFreshBuildGives() throws Exception {
        Assembler assembler = new Assembler().withExternalSymbols(Map.of("do_work", 0xffffffff80f01000L))
                .withCache(cache);
        AssembledImage fresh = new Assembler().withExternalSymbols(Map.of("do_work", 0xffffffff80f01000L))
                .assemble("stub.S", STUB);

        AssembledImage first = assembler.assemble("stub.S", STUB);
        assertEquals(2, entries(cache).size(), "the ELF and the objdump listing");
        AssembledImage second = assembler.assemble("stub.S", STUB);

        assertSameImage(fresh, first);
        assertSameImage(fresh, second);
    }

    @Test
    void anotherAddressOrSymbolIsAnotherEntry() throws Exception {
        Assembler one = new Assembler().withExternalSymbols(Map.of("do_work", 0xffffffff80f01000L)).withCache(cache);
        Assembler other = new Assembler().withExternalSymbols(Map.of("do_work", 0xffffffff80f02000L)).withCache(cache);

        AssembledImage a = one.assemble("stub.S", STUB);
        AssembledImage b = other.assemble("stub.S", STUB);
        AssembledImage c = one.assemble("stub.S", STUB, Assembler.DEFAULT_TEXT_ADDRESS + 0x100000, List.of());

        assertEquals(6, entries(cache).size());
        assertNotEquals(java.util.Arrays.toString(a.bytes()), java.util.Arrays.toString(b.bytes()),
                "the call goes elsewhere");
        assertEquals(Assembler.DEFAULT_TEXT_ADDRESS + 0x100000, c.loadAddress());
    }

    @Test
    void aDamagedEntryIsRebuiltNotBelieved() throws Exception {
        Assembler assembler = new Assembler().withExternalSymbols(Map.of("do_work", 0xffffffff80f01000L))
                .withCache(cache);
        AssembledImage good = assembler.assemble("stub.S", STUB);
        for (Path entry : entries(cache)) {
            if (entry.toString().endsWith(".elf")) {
                Files.write(entry, new byte[] {0x7f, 'E', 'L', 'F', 0});
            }
        }

        AssembledImage again = assembler.assemble("stub.S", STUB);

        assertSameImage(good, again);
        assertTrue(Files.size(entries(cache).get(0)) > 5 || Files.size(entries(cache).get(1)) > 5, "rewritten");
    }

    @Test
    void anUnusableCacheDirectoryOnlyCostsTheCache() throws Exception {
        Path notADirectory = cache.resolve("file");
        Files.writeString(notADirectory, "x");
        Assembler assembler = new Assembler().withExternalSymbols(Map.of("do_work", 0xffffffff80f01000L))
                .withCache(notADirectory);

        AssembledImage image = assembler.assemble("stub.S", STUB);

        assertTrue(image.size() > 0);
    }
}
