package dev.nmilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `nmilab run` with several scenarios or a suite: each into its own directory, the worst exit status. */
class RunSeveralTest {
    @TempDir
    Path temp;

    @Test
    void theTalkMatrixSuiteRunsFiveScenariosEachIntoItsDirectory() {
        CliRun run = CliRun.of("run", "talk-matrix", "--out", temp.toString());

        assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
        assertEquals(5, run.stdout().lines().filter(line -> line.startsWith("verdict: ")).count(), run.stdout());
        assertTrue(run.stdout().contains("verdict: HANG (expected HANG)"));
        assertTrue(Files.exists(temp.resolve("nmi-panic-printk-66rt/vmcore")));
        assertFalse(Files.exists(temp.resolve("nmi-panic-printk-rt285/vmcore")));
    }

    @Test
    void aVerdictThatDiffersAnywhereMakesTheWholeRunDiffer() {
        CliRun run = CliRun.of("run", "unknown-nmi", "bug-in-kthread", "--set", "expect=SURVIVED", "--out",
                temp.toString());

        assertEquals(1, run.exitCode(), run.stdout() + run.stderr());
        assertTrue(Files.exists(temp.resolve("unknown-nmi/report.json")));
        assertTrue(Files.exists(temp.resolve("bug-in-kthread/report.json")));
    }

    @Test
    void aBadNameStopsTheRunWithExitTwo() {
        CliRun run = CliRun.of("run", "no-such-scenario", "unknown-nmi", "--out", temp.toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.stderr().startsWith("nmilab: no-such-scenario: no such scenario"), run.stderr());
        assertFalse(Files.exists(temp.resolve("unknown-nmi")), "nothing after the bad input ran");
    }
}
