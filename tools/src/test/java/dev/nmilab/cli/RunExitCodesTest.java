package dev.nmilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `nmilab run` exit statuses (ExitCodes): 0 when the verdict is the expected one, 1 when it
 * differs, 2 for any bad input with one line on stderr naming what is wrong, and no output
 * directory left behind by a run that never started.
 */
class RunExitCodesTest {
    @TempDir
    Path temp;

    /** bug-in-kthread as a file in the temp directory, plus {@code machineExtra} lines and a stubs section. */
    private Path scenarioFile(String name, String machineExtra, String stubsSection) throws IOException {
        Path file = temp.resolve(name);
        Files.writeString(file, """
                name: %s
                description: bug-in-kthread as a file, for bad-input tests
                machine:
                  cpus: 2
                  memory: 128M
                  profile: linux-6.1
                  cmdline: "oops=panic panic=0"
                %s%stasks:
                  - type: bug-kthread
                    cpu: 1
                    after: 2ms
                limits:
                  time: 1s
                expect: HALTED
                """.formatted(name.replace(".yaml", ""), machineExtra, stubsSection));
        return file;
    }

    private static void assertOneLineError(CliRun run, String... fragments) {
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.stderr());
        assertEquals(1, run.stderrLines().size(), "one line on stderr:\n" + run.stderr());
        String line = run.stderrLines().get(0);
        assertTrue(line.startsWith("nmilab: "), line);
        for (String fragment : fragments) {
            assertTrue(line.contains(fragment), "'" + fragment + "' in: " + line);
        }
        assertEquals("", run.stdout());
    }

    @Test
    void matchingVerdictExitsZeroAndSaysSoLast() {
        CliRun run = CliRun.of("run", "bug-in-kthread", "--out", temp.resolve("out").toString());

        assertEquals(ExitCodes.OK, run.exitCode(), run.stderr());
        assertEquals("verdict: HALTED (expected HALTED)", run.lastStdoutLine());
        assertEquals("", run.stderr());
        assertEquals("scenario: bug-in-kthread (linux-6.1, 2 CPUs)", run.stdoutLines().get(0));
        assertTrue(Files.isRegularFile(temp.resolve("out/report.json")));
    }

    @Test
    void differentVerdictExitsOne() {
        CliRun run = CliRun.of("run", "bug-in-kthread", "--set", "expect=SURVIVED", "--out",
                temp.resolve("out").toString());

        assertEquals(ExitCodes.VERDICT_DIFFERS, run.exitCode(), run.stderr());
        assertEquals("verdict: HALTED (expected SURVIVED)", run.lastStdoutLine());
        assertEquals("", run.stderr());
    }

    @Test
    void missingScenarioFileIsBadInput() {
        String missing = temp.resolve("no-such.yaml").toString();
        CliRun run = CliRun.of("run", missing, "--out", temp.resolve("out").toString());

        assertOneLineError(run, missing, "no such scenario file or built-in scenario");
        assertFalse(Files.exists(temp.resolve("out")));
    }

    @Test
    void brokenYamlIsBadInputNamingTheFile() throws IOException {
        Path broken = temp.resolve("broken.yaml");
        Files.writeString(broken, "name: broken\nmachine: [cpus: 2\n  memory: 64M\n");
        CliRun run = CliRun.of("run", broken.toString(), "--out", temp.resolve("out").toString());

        assertOneLineError(run, "broken.yaml");
        assertFalse(Files.exists(temp.resolve("out")));
    }

    @Test
    void badOverrideIsBadInputNamingTheOverride() {
        CliRun run = CliRun.of("run", "bug-in-kthread", "--set", "machine.cpus=lots", "--out",
                temp.resolve("out").toString());

        assertOneLineError(run, "machine.cpus=lots");
        assertFalse(Files.exists(temp.resolve("out")));
    }

    @Test
    void stubWithAssemblerErrorIsBadInput() throws IOException {
        Files.writeString(temp.resolve("bad.S"), """
                	.text
                	.globl _start
                _start:
                	movq	%rax
                	frobnicate	%rbx
                	hlt
                """);
        Path scenario = scenarioFile("bad-stub.yaml", "", "stubs:\n  - bad.S\n");
        CliRun run = CliRun.of("run", scenario.toString(), "--out", temp.resolve("out").toString());

        // GNU as reports "bad.S: Assembler messages:" and a line per error; the run says the first
        assertOneLineError(run);
        assertEquals("nmilab: bad.S:4: Error: number of operands mismatch for `movq' (and 1 more error)",
                run.stderrLines().get(0));
        assertFalse(Files.exists(temp.resolve("out")), "nothing written for a run that never started");
    }

    @Test
    void badSysctlValueIsBadInputNamingFileLineAndKey() throws IOException {
        Path scenario = scenarioFile("bad-sysctl.yaml", "  sysctls:\n    kernel.panic: soon\n", "");
        CliRun run = CliRun.of("run", scenario.toString(), "--out", temp.resolve("out").toString());

        assertOneLineError(run, "bad-sysctl.yaml:9", "kernel.panic", "soon");
        assertFalse(Files.exists(temp.resolve("out")));
    }

    @Test
    void unknownOptionIsBadInput() {
        CliRun run = CliRun.of("run", "bug-in-kthread", "--no-such-option");

        assertOneLineError(run, "--no-such-option");
    }
}
