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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kdump talk's success matrix (slide 24) through `nmilab run`: the regressed rt printk hangs
 * only with the spammer, the NMI panic and the hardlockup detector together, and each escape is
 * the model's own (no NMI on the printer's CPU, a panic that may sleep, nbcon, no backlog).
 */
class TalkMatrixTest {
    private static final String CRASHKERNEL = "crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M";

    @TempDir
    Path temp;

    private record Run(JsonNode report, Path out) {
        JsonNode cpu(int index) {
            return report.get("cpus").get(index);
        }

        String events() throws IOException {
            return Files.readString(out.resolve("events.jsonl"));
        }
    }

    private Run run(String name, String... overrides) throws IOException {
        Path out = temp.resolve(name + overrides.length);
        List<String> args = new ArrayList<>(List.of("run", name, "--out=" + out));
        args.addAll(List.of(overrides));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
        return new Run(new ObjectMapper().readTree(out.resolve("report.json").toFile()), out);
    }

    @Test
    void regressedPrintkWithWatchdogHangsOnPrintkCpuSyncAndTheStopWait() throws IOException {
        Run run = run("nmi-panic-printk-rt285");

        assertEquals("HANG", run.report().get("verdict").asText());
        List<String> chain = new ArrayList<>();
        run.report().at("/reason/chain").forEach(link -> chain.add(link.asText()));
        assertTrue(chain.get(0).startsWith("CPU 0 (panic) spins on waiting_for_crash_ipi held by CPU 1 (CPU 1 with "
                + "NMIs blocked"), chain.toString());
        assertTrue(chain.get(1).startsWith("CPU 1 (panic, interrupting pr/ttyS0/")
                && chain.get(1).contains("spins on printk_cpu_sync held by CPU 0 (CPU 0 in panic) since 10000000070 ns"),
                chain.toString());
        assertEquals("CPU 2 halted with interrupts off", chain.get(2));
        assertEquals("wait-for cycle: CPU 0 (waiting_for_crash_ipi) -> CPU 1 (printk_cpu_sync) -> CPU 0",
                chain.get(chain.size() - 1));
        assertFalse(Files.exists(run.out().resolve("vmcore")), "kdump never started");
        String events = run.events();
        assertTrue(events.contains("\"cpu\":1,\"kind\":\"panic\",\"text\":\"Hard LOCKUP\""), "CPU 1's watchdog fired");
        assertTrue(events.contains("\"type\":\"nmi_dropped\"") && events.contains("\"source\":\"IPI from cpu 0\""),
                "the crash NMI could not reach CPU 1");
        // CPU 1 was caught inside CPU 0's flush: its NMI came long before the flush ended
        long flushEnd = run.cpu(0).at("/printk/panic_flush_end_ns").asLong();
        assertTrue(flushEnd > 25_000_000_000L, "CPU 0 flushed for more than 20 s: " + flushEnd);
        assertTrue(run.cpu(0).at("/printk/panic_flush_records").asLong() > 5_000);
    }

    @Test
    void withoutTheWatchdogTheFlushEndsAndEveryCpuTakesTheStop() throws IOException {
        Run run = run("nmi-panic-printk-rt285-nowatchdog");

        assertEquals("VMCORE_SAVED", run.report().get("verdict").asText());
        assertTrue(Files.exists(run.out().resolve("vmcore")));
        assertFalse(run.events().contains("Hard LOCKUP"));
        for (int cpu = 0; cpu < 4; cpu++) {
            assertEquals(1, run.cpu(cpu).at("/kdump/crash_note_saved").asInt(), "CPU " + cpu + " stopped in time");
        }
        assertTrue(Files.readString(run.out().resolve("console.log"))
                .contains("Kernel panic - not syncing: NMI: Not continuing"), "CPU 0's own flush printed it");
    }

    @Test
    void sysrqPanicMaySleepSoThePrinterDrainsTheBacklog() throws IOException {
        Run run = run("sysrq-c-printk-rt285");

        assertEquals("VMCORE_SAVED", run.report().get("verdict").asText());
        assertEquals(0, run.cpu(0).at("/printk/panic_flush_records").asLong(), "pr_flush left nothing to flush");
        assertTrue(run.cpu(1).at("/printk/printer_records").asLong() > 5_000, "the printer wrote the backlog");
        assertFalse(run.events().contains("Hard LOCKUP"));
    }

    @Test
    void nbconPrinterBacksOffInsteadOfSpinning() throws IOException {
        Run run = run("nmi-panic-printk-66rt");

        assertEquals("VMCORE_SAVED", run.report().get("verdict").asText());
        assertTrue(run.cpu(0).at("/printk/panic_flush_records").asLong() > 5_000, "the panic CPU took the console");
        assertTrue(run.cpu(1).at("/printk/printer_records").asLong() < 1_000);
        assertFalse(run.events().contains("Hard LOCKUP"));
    }

    private static boolean installed(String tool) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    private static String tool(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
        return output;
    }

    @Test
    void theFixedRowsVmcoreReadsWithTheRealToolsAndNmilabCrash() throws Exception {
        Run run = run("nmi-panic-printk-66rt");
        String vmcore = run.out().resolve("vmcore").toString();
        String panic = "Kernel panic - not syncing: NMI: Not continuing";

        assertTrue(Files.readString(run.out().resolve("vmcore-dmesg.txt")).contains(panic),
                "other CPUs' records did not push the panic out of the ring");
        CliRun log = CliRun.of("crash", vmcore, "log");
        assertEquals(0, log.exitCode(), log.stderr());
        assertTrue(log.stdout().contains(panic));
        CliRun bt = CliRun.of("crash", vmcore, "bt");
        assertTrue(bt.stdout().contains("#0 [exception RIP: __crash_kexec]"), bt.stdout());
        CliRun vtop = CliRun.of("crash", vmcore, "vtop", "0xffffffff81000000");
        assertTrue(vtop.stdout().contains("PAGE: 1000000  (2MB)"), vtop.stdout());
        if (installed("readelf")) {
            String notes = tool("readelf", "-n", vmcore);
            assertEquals(4, notes.lines().filter(line -> line.contains("NT_PRSTATUS")).count(), notes);
            assertTrue(notes.contains("VMCOREINFO"), notes);
        }
        if (installed("gdb")) {
            String threads = tool("gdb", "-batch", "-nx", "-ex", "info threads", "-c", vmcore);
            assertEquals(4, threads.lines().filter(line -> line.matches("\\*?\\s+\\d+\\s+.*")).count(), threads);
        }
        assumeTrue(installed("makedumpfile"), "makedumpfile not installed");
        Path dmesg = temp.resolve("makedumpfile-dmesg.txt");
        tool("makedumpfile", "--dump-dmesg", vmcore, dmesg.toString());
        assertTrue(Files.readString(dmesg).contains(panic));
    }

    @Test
    void withoutTheSpammerThereIsNoBacklogAndTheRegressedKernelDumps() throws IOException {
        Run quiet = run("nmi-panic-rt285-quiet");
        Run spammed = run("nmi-panic-printk-rt285");

        assertEquals("VMCORE_SAVED", quiet.report().get("verdict").asText());
        assertTrue(quiet.report().at("/console/backlog_at_panic_lines").asLong() < 10);
        assertTrue(spammed.report().at("/console/backlog_at_panic_lines").asLong() > 5_000);
        assertTrue(quiet.cpu(0).at("/printk/panic_flush_end_ns").asLong() < 2_100_000_000L, "a flush of milliseconds");
    }

    @Test
    void aWatchdogSlowerThanTheFlushMissesIt() throws IOException {
        // the first PMI at 30 s comes after the flush ended (~29.4 s) and CPU 1 took the stop
        Run run = run("nmi-panic-printk-rt285", "--set=machine.sysctls.kernel.watchdog_thresh=30",
                "--set=expect=VMCORE_SAVED");

        assertEquals("VMCORE_SAVED", run.report().get("verdict").asText());
        assertFalse(run.events().contains("Hard LOCKUP"));
    }

    @Test
    void aHardlockupReportThatReturnsFromItsNmiLetsTheStopThrough() throws IOException {
        Run run = run("nmi-panic-printk-rt285",
                "--set=machine.cmdline=console=ttyS0,115200 " + CRASHKERNEL + " nmi_watchdog=nopanic",
                "--set=expect=VMCORE_SAVED");

        assertEquals("VMCORE_SAVED", run.report().get("verdict").asText());
        // the report went to the ring (overwritten by the spammer since); its NMI returned to the printer
        assertTrue(run.events().contains("\"type\":\"iret\",\"timeNs\":10000000089,\"cpu\":1,"
                + "\"at\":\"nmi_restore+0x25\",\"frame\":-2199023075424,\"to\":\"printk_kthread_func\""),
                "CPU 1's watchdog NMI returned");
        assertEquals(1, run.cpu(1).at("/kdump/crash_note_saved").asInt(), "CPU 1 left its NMI and took the stop");
    }
}
