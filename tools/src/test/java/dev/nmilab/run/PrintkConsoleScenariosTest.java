package dev.nmilab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nmilab.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 001's printk spammer against a 115200-baud console on the upstream 6.1 profile: the
 * console falls half a minute behind, machine_kexec cuts it off, and the panic messages an
 * NMI-context panic deferred are in the vmcore but never on the wire.
 */
class PrintkConsoleScenariosTest {
    private static final String PANIC = "Kernel panic - not syncing: NMI: Not continuing";

    @TempDir
    Path temp;

    private JsonNode run(String name, String... overrides) throws IOException {
        Path out = temp.resolve(name);
        String[] args = new String[3 + overrides.length];
        args[0] = "run";
        args[1] = name;
        args[2] = "--out=" + out;
        System.arraycopy(overrides, 0, args, 3, overrides.length);
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exitCode(), run.stderr());
        return new ObjectMapper().readTree(out.resolve("report.json").toFile());
    }

    @Test
    void theSpammerLeavesThousandsOfLinesBehindAndKexecCutsThemOff() throws IOException {
        JsonNode report = run("nmi-panic-printk");
        Path out = temp.resolve("nmi-panic-printk");

        assertEquals("VMCORE_SAVED", report.get("verdict").asText());
        JsonNode console = report.get("console");
        // 4 threads x 1,000 lines a second against ~150 lines a second on the wire; a printk caller
        // that gets the console writes lines itself (5 ms each) until it hands over, so the spammers
        // slow to about half and half of what they store in 2 s is still waiting in the ring
        long backlog = console.get("backlog_at_panic_lines").asLong();
        assertTrue(backlog > 3_000 && backlog < 4_500, "backlog " + backlog);
        assertTrue(console.get("backlog_at_panic_chars").asLong() > 10L * console.get("chars_per_second").asLong(),
                "more than 10 s of output waiting");
        assertTrue(console.get("lines_cut_off").asLong() <= 1, "the UART holds only the line being written");
        assertTrue(console.get("records_never_queued").asLong() >= backlog - 1, "the rest never left printk");
        List<String> wire = Files.readAllLines(out.resolve("console.log"));
        assertEquals(console.get("lines_on_wire").asLong(), wire.size());
        assertTrue(wire.size() < 500, wire.size() + " lines reached the wire in 2 s");
        assertFalse(String.join("\n", wire).contains("Kernel panic"), "the NMI-context panic was deferred");
        String dmesg = Files.readString(out.resolve("vmcore-dmesg.txt"));
        assertTrue(dmesg.contains(PANIC), "the vmcore holds the panic message");
        assertTrue(console.get("summary").asText().contains("never left the UART"), console.toString());
    }

    @Test
    void makedumpfileReadsTheWrappedRingAsTheCaptureKernelDid() throws Exception {
        assumeTrue(java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "makedumpfile"))), "makedumpfile not installed");
        run("nmi-panic-printk");
        Path out = temp.resolve("nmi-panic-printk");
        Path dumped = temp.resolve("dmesg.txt");

        Process process = new ProcessBuilder("makedumpfile", "--dump-dmesg", out.resolve("vmcore").toString(),
                dumped.toString()).redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), said);

        List<String> ring = Files.readAllLines(dumped);
        assertEquals(Files.readAllLines(out.resolve("vmcore-dmesg.txt")), ring);
        // 8,000 spammer records do not fit the 128 KiB ring: the oldest ones were overwritten
        List<String> wire = Files.readAllLines(out.resolve("console.log"));
        assertFalse(ring.contains(wire.get(wire.size() - 1)), "the last console line was overwritten in the ring");
        assertTrue(ring.get(ring.size() - 1).contains("</TASK>"), "the ring ends with the panic's call trace");
    }

    @Test
    void withoutTheSpammerTheConsoleKeepsUp() throws IOException {
        JsonNode report = run("nmi-panic-printk-quiet");

        assertEquals("VMCORE_SAVED", report.get("verdict").asText());
        JsonNode console = report.get("console");
        assertEquals(0, console.get("backlog_at_panic_lines").asLong());
        assertEquals(0, console.get("lines_cut_off").asLong());
        assertTrue(console.get("records_never_queued").asLong() > 0, "the panic's own lines stay deferred");
    }

    @Test
    void withoutKdumpTheHaltedPanicFlushesItsDeferredLinesToTheWire() throws IOException {
        JsonNode report = run("nmi-panic-printk-quiet", "--set=events[0].at=9s", "--set=expect=HALTED");
        Path out = temp.resolve("nmi-panic-printk-quiet");

        assertEquals("HALTED", report.get("verdict").asText());
        assertEquals(0, report.get("console").get("records_never_queued").asLong());
        String wire = Files.readString(out.resolve("console.log"));
        assertTrue(wire.contains(PANIC), "console_flush_on_panic printed it");
        assertTrue(wire.contains("---[ end Kernel panic - not syncing: NMI: Not continuing ]---"), wire);
    }

    @Test
    void aBadConsoleBaudRateIsOneLineAndExitTwo() {
        CliRun run = CliRun.of("run", "nmi-panic-printk-quiet", "--out=" + temp.resolve("bad"),
                "--set=machine.cmdline=console=ttyS0,fast");

        assertEquals(2, run.exitCode());
        assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
        assertTrue(run.stderr().contains("console=ttyS0,fast"), run.stderr());
        assertFalse(Files.exists(temp.resolve("bad").resolve("report.json")));
    }
}
