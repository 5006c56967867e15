package dev.nmilab.asm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssemblerTest {

    private static final long BASE = Assembler.DEFAULT_TEXT_ADDRESS;
    private static final HexFormat HEX = HexFormat.of();

    private final Assembler assembler = new Assembler();

    @Test
    void smallStubHasExpectedBytesAndLayout() throws AssemblyException {
        AssembledImage image = assembler.assemble(TestSources.file("small_stub.S"));

        assertEquals(BASE, image.loadAddress());
        // movl $0x18,%eax; movq $message,%rax (imm32 0x81001000 sign-extends to .rodata); hlt; jmp -3
        assertEquals("b818000000" + "48c7c000100081" + "f4" + "ebfd", HEX.formatHex(image.bytesAt(BASE, 15)));
        assertEquals("686900", HEX.formatHex(image.bytesAt(BASE + 0x1000, 3)));
        assertEquals("8877665544332211", HEX.formatHex(image.bytesAt(BASE + 0x2000, 8)));
        assertArrayEquals(new byte[32], image.bytesAt(BASE + 0x3000, 32));
        assertEquals(0x3000 + 32, image.size());
        assertEquals(BASE + 0x3020, image.endAddress());

        SymbolTable symbols = image.symbols();
        assertEquals(BASE, symbols.requireAddress("entry"));
        assertEquals(BASE + 12, symbols.requireAddress("local_label"));
        assertEquals(BASE + 0x1000, symbols.requireAddress("message"));
        assertEquals(BASE + 0x2000, symbols.requireAddress("counter"));
        assertEquals(BASE + 0x3000, symbols.requireAddress("scratch"));
        assertEquals(15, symbols.lookup("entry").orElseThrow().size(), "SYM_CODE_END sets the size");
        assertEquals(Symbol.Binding.GLOBAL, symbols.lookup("entry").orElseThrow().binding());
        assertEquals(Symbol.Binding.LOCAL, symbols.lookup("local_label").orElseThrow().binding());
        assertEquals(List.of("entry", "local_label", "message", "counter", "scratch"),
                symbols.symbols().stream().map(Symbol::name).toList());
    }

    @Test
    void describeNamesAddressesRelativeToTheNearestSymbolBelow() throws AssemblyException {
        SymbolTable symbols = assembler.assemble(TestSources.file("small_stub.S")).symbols();

        assertEquals("entry", symbols.describe(BASE));
        assertEquals("entry+0x5", symbols.describe(BASE + 5));
        assertEquals("local_label+0x1", symbols.describe(BASE + 13));
        assertEquals("message+0x1f", symbols.describe(BASE + 0x101f));
        assertEquals("scratch+0x1f", symbols.describe(BASE + 0x301f));
        assertEquals("0xffffffff80ffffff", symbols.describe(BASE - 1));
        assertEquals("0xffffffff81003020", symbols.describe(BASE + 0x3020), "one past the image end");
        assertEquals("local_label", symbols.symbolAt(BASE + 14).orElseThrow().name());
    }

    @Test
    void textAddressIsHonoured() throws AssemblyException {
        AssembledImage image = assembler.assemble("small_stub.S", TestSources.text("small_stub.S"),
                0x200000L, List.of());

        assertEquals(0x200000L, image.loadAddress());
        assertEquals(0x201000L, image.symbols().requireAddress("message"));
        // The same instruction now carries the low address of message.
        assertEquals("48c7c000102000", HEX.formatHex(image.bytesAt(0x200005L, 7)));
    }

    @Test
    void assemblerErrorNamesTheFileAsGivenAndTheLine() {
        AssemblyException fromText = assertThrows(AssemblyException.class,
                () -> assembler.assemble("bad.S", TestSources.text("bad.S")));
        assertTrue(fromText.getMessage().contains("bad.S:3: Error: no such instruction: `frobnicate %rax'"),
                fromText.getMessage());
        assertFalse(fromText.getMessage().contains("nmilab-asm"), fromText.getMessage());

        Path file = TestSources.file("bad.S");
        AssemblyException fromFile = assertThrows(AssemblyException.class, () -> assembler.assemble(file));
        assertTrue(fromFile.getMessage().contains(file + ":3: Error: no such instruction"), fromFile.getMessage());
    }

    @Test
    void sourceNamesWithDirectoriesAppearInDiagnostics() {
        AssemblyException error = assertThrows(AssemblyException.class,
                () -> assembler.assemble("nmi/entry_64.S", TestSources.text("bad.S")));
        assertTrue(error.getMessage().contains("nmi/entry_64.S:3: Error"), error.getMessage());
    }

    @Test
    void errorInsideABuiltinMacroPointsAtTheInvokingLine() {
        AssemblyException error = assertThrows(AssemblyException.class,
                () -> assembler.assemble("macro_misuse.S", "#include \"calling.h\"\n\tPUSH_REGS rax=%bogus\n"));
        assertTrue(error.getMessage().contains("Error: bad register name `%bogus'"), error.getMessage());
        assertTrue(error.getMessage().contains("macro_misuse.S:2:  Info: macro invoked from here"), error.getMessage());
        assertFalse(error.getMessage().contains("nmilab-asm-include"), error.getMessage());
    }

    @Test
    void preprocessorErrorIsReported() {
        AssemblyException error = assertThrows(AssemblyException.class,
                () -> assembler.assemble("missing_header.S", "#include \"no_such_header.h\"\n"));
        assertTrue(error.getMessage().startsWith("missing_header.S:1:"), error.getMessage());
        assertTrue(error.getMessage().contains("no_such_header.h: No such file or directory"), error.getMessage());
    }

    @Test
    void undefinedSymbolIsALinkError() {
        AssemblyException error = assertThrows(AssemblyException.class,
                () -> assembler.assemble("undefined.S", TestSources.text("undefined.S")));
        assertTrue(error.getMessage().contains("undefined reference to `missing_handler'"), error.getMessage());
        assertTrue(error.getMessage().contains("undefined.S"), error.getMessage());
        assertFalse(error.getMessage().contains("nmilab-asm"), error.getMessage());
    }

    @Test
    void callerIncludeDirectoriesAreSearched(@TempDir Path includes) throws Exception {
        Files.writeString(includes.resolve("board.h"), "#define BOARD_MAGIC 0x5a\n");
        AssembledImage image = assembler.assemble("uses_board.S",
                "#include \"board.h\"\n\t.text\nmagic:\t.byte BOARD_MAGIC\n", BASE, List.of(includes));
        assertEquals("5a", HEX.formatHex(image.bytesAt(BASE, 1)));
    }

    @Test
    void missingIncludeDirectoryIsAnError(@TempDir Path parent) {
        Path absent = parent.resolve("absent");
        AssemblyException error = assertThrows(AssemblyException.class,
                () -> assembler.assemble("stub.S", "\tnop\n", BASE, List.of(absent)));
        assertEquals("stub.S: include directory " + absent + " does not exist", error.getMessage());
    }

    @Test
    void missingSourceFileIsAnError(@TempDir Path parent) {
        Path absent = parent.resolve("absent.S");
        AssemblyException error = assertThrows(AssemblyException.class, () -> assembler.assemble(absent));
        assertEquals(absent + ": no such file", error.getMessage());
    }

    @Test
    void sourceNamesMustBePlainRelativePaths() {
        assertThrows(IllegalArgumentException.class, () -> assembler.assemble("../escape.S", "nop\n"));
        assertThrows(IllegalArgumentException.class, () -> assembler.assemble("/abs/stub.S", "nop\n"));
        assertThrows(IllegalArgumentException.class, () -> assembler.assemble(" ", "nop\n"));
    }

    @Test
    void imageLargerThanTheLimitIsRejected() {
        AssemblyException error = assertThrows(AssemblyException.class,
                () -> assembler.assemble("huge.S", "\t.text\n\tnop\n\t.bss\n\t.skip 0x5000000\n"));
        assertTrue(error.getMessage().startsWith("huge.S: image spans "), error.getMessage());
        assertTrue(error.getMessage().contains("more than the limit of 67108864 bytes"), error.getMessage());
    }

    @Test
    void assemblyIsDeterministic() throws AssemblyException {
        String source = TestSources.text("frame.S");
        AssembledImage first = assembler.assemble("frame.S", source);
        AssembledImage second = assembler.assemble("frame.S", source);
        AssembledImage fromFile = assembler.assemble(TestSources.file("frame.S"));

        assertTrue(Arrays.equals(first.bytes(), second.bytes()));
        assertTrue(Arrays.equals(first.bytes(), fromFile.bytes()));
        assertEquals(first.symbols().symbols(), second.symbols().symbols());
        assertEquals(first.symbols().symbols(), fromFile.symbols().symbols());
        assertEquals(first.symbols().constants(), second.symbols().constants());
        assertEquals(first.specialInstructions(), second.specialInstructions());
    }

    @Test
    void temporaryFilesAreRemoved(@TempDir Path root) throws Exception {
        Assembler confined = new Assembler(Assembler.DEFAULT_TOOL_TIMEOUT, root);
        confined.assemble("small_stub.S", TestSources.text("small_stub.S"));
        assertThrows(AssemblyException.class, () -> confined.assemble("bad.S", TestSources.text("bad.S")));
        confined.scanSpecialInstructions(new byte[] {(byte) 0xf4}, 0x1000);
        try (var left = Files.list(root)) {
            assertEquals(List.of(), left.toList(), "workspaces must be deleted after success and failure");
        }
    }
}
