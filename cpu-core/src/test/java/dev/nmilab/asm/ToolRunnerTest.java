package dev.nmilab.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.asm.ToolRunner.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolRunnerTest {

    @Test
    void missingToolsNameTheirDebianPackage(@TempDir Path emptyBin, @TempDir Path scratch) {
        ToolRunner runner = new ToolRunner(Duration.ofSeconds(10), emptyBin.toString());

        AssemblyException as = assertThrows(AssemblyException.class,
                () -> runner.run(Tool.AS, List.of("--version"), null, scratch));
        assertEquals("as is not installed (not found on PATH): install the Debian package binutils", as.getMessage());
        AssemblyException gcc = assertThrows(AssemblyException.class, () -> runner.requireInstalled(Tool.GCC));
        assertEquals("gcc is not installed (not found on PATH): install the Debian package gcc", gcc.getMessage());
    }

    @Test
    void capturesTheStandardOutputOfASuccessfulRun(@TempDir Path scratch) throws AssemblyException {
        ToolRunner.Result result = new ToolRunner(Duration.ofSeconds(10))
                .run(Tool.GCC, List.of("-E", "-dM", "-x", "c", "/dev/null"), null, scratch);
        assertEquals(0, result.exitCode());
        assertTrue(result.stdout().contains("#define __x86_64__ 1"), result.stdout());
    }

    /** cpp blocks forever opening a FIFO nobody writes: a hung tool must be killed, with its cc1. */
    @Test
    void toolThatOverrunsItsTimeLimitIsKilled(@TempDir Path includes, @TempDir Path root) throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", includes.resolve("blocks.h").toString()).start();
        assertEquals(0, mkfifo.waitFor());
        Assembler impatient = new Assembler(Duration.ofSeconds(1), root);

        AssemblyException error = assertThrows(AssemblyException.class, () -> impatient.assemble("hangs.S",
                "#include \"blocks.h\"\n", Assembler.DEFAULT_TEXT_ADDRESS, List.of(includes)));

        assertEquals("gcc did not finish within 1 s", error.getMessage());
        assertEquals(0, ProcessHandle.current().descendants().count(), "gcc and cc1 are gone");
        try (var left = Files.list(root)) {
            assertEquals(List.of(), left.toList());
        }
    }
}
