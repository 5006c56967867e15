package dev.nmilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nmilab asm run on stubs the engine could not survive: one line naming the place, exit 2, the JVM alive. */
class AsmRunExitCodesTest {
    @TempDir
    Path dir;

    private Path stub(String body) throws IOException {
        Path file = dir.resolve("stub.S");
        Files.writeString(file, "#include <nmilab.h>\n\t.text\nSYM_CODE_START(_start)\n" + body
                + "\thlt\nSYM_CODE_END(_start)\n");
        return file;
    }

    @Test
    void anEncodingThatWouldAbortTheEngineIsBadInput() throws IOException {
        Path file = stub("\tnop\n\t.byte 0xf0, 0x0f, 0xab, 0xc0\n"); // lock bts %eax,%eax
        CliRun run = CliRun.of("asm", "run", file.toString());
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode());
        assertEquals(1, run.stderrLines().size(), run.stderr());
        assertTrue(run.stderr().contains("_start+0x1 (f0 0f ab c0"), run.stderr());
    }

    @Test
    void aBreakpointEnabledThroughDr7IsBadInput() throws IOException {
        Path file = stub("\tmovq\t$0x2, %rcx\n\tmovq\t%rcx, %dr7\n");
        CliRun run = CliRun.of("asm", "run", file.toString());
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode());
        assertTrue(run.stderr().contains("enables a hardware breakpoint"), run.stderr());
    }
}
