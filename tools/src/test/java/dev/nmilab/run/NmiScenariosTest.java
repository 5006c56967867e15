package dev.nmilab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The NMI built-in scenarios end to end: console.log in the order the 6.1 kernel prints
 * (arch/x86/kernel/nmi.c: unknown_nmi_error, io_check_error; kernel/watchdog_hld.c:
 * watchdog_overflow_callback; kernel/panic.c: panic), the verdict, and report.json's per-CPU NMI counts.
 */
class NmiScenariosTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WATCHDOG_ENABLED = "NMI watchdog: Enabled. Permanently consumes one hw-PMU counter.";
    private static final String UHHUH = "Uhhuh. NMI received for unknown reason 00 on CPU 0.";
    private static final String DAZED = "Dazed and confused, but trying to continue";
    private static final String IOCK = "NMI: IOCK error (debug interrupt?) for reason 40 on CPU 0.";

    @TempDir
    Path temp;

    private record Run(List<String> rawConsole, List<String> console, JsonNode report) {
        JsonNode cpu(int index) {
            return report.get("cpus").get(index);
        }

        long nmisDelivered(int cpu) {
            return cpu(cpu).get("nmi").get("delivered").asLong();
        }

        /** The NMI subsystem's per-CPU counters (do_nmi calls and nmi_stats). */
        long handling(int cpu, String counter) {
            return cpu(cpu).get("nmi_handling").get(counter).asLong();
        }
    }

    private Run run(String scenario) throws IOException {
        Path out = temp.resolve(scenario);
        CliRun cli = CliRun.of("run", scenario, "--out", out.toString());
        assertEquals(0, cli.exitCode(), cli.stderr());
        List<String> raw = Files.readAllLines(out.resolve("console.log"));
        List<String> text = raw.stream().map(line -> {
            assertTrue(line.matches("^\\[ *\\d+\\.\\d{6}\\] .*"), "dmesg time stamp: " + line);
            return line.substring(line.indexOf("] ") + 2);
        }).toList();
        return new Run(raw, text, JSON.readTree(out.resolve("report.json").toFile()));
    }

    /** {@code expected} appear in {@code console} in this order (other lines may come between them). */
    private static void assertInOrder(List<String> console, String... expected) {
        int from = 0;
        for (String line : expected) {
            int at = console.subList(from, console.size()).indexOf(line);
            assertTrue(at >= 0, "\"" + line + "\" after line " + from + " in " + console);
            from += at + 1;
        }
    }

    private static void assertVerdict(Run run, String verdict) {
        assertEquals(verdict, run.report().get("verdict").asText());
        assertEquals(verdict, run.report().get("expected").asText());
    }

    @Test
    void unknownNmiIsDazedAndSurvives() throws IOException {
        Run run = run("unknown-nmi");

        assertEquals(List.of(WATCHDOG_ENABLED, UHHUH, DAZED), run.console());
        assertEquals("[    0.001000] " + UHHUH, run.rawConsole().get(1));
        assertVerdict(run, "SURVIVED");
        assertFalse(run.report().get("reason").has("panic_cpu"));
        assertEquals(1, run.nmisDelivered(0));
        assertEquals(0, run.cpu(0).get("nmi").get("latched").asLong());
        assertEquals(0, run.cpu(0).get("nmi").get("dropped").asLong());
        assertEquals(1, run.cpu(0).get("exceptions").get("NMI").asLong());
        assertEquals(1, run.cpu(0).get("irets").asLong(), "the NMI returned with its iretq");
        assertEquals(0, run.nmisDelivered(1));
        assertEquals("RUNNING", run.cpu(0).get("state").asText());
        assertEquals(1, run.handling(0, "do_nmi"));
        assertEquals(1, run.handling(0, "unknown"));
        assertEquals(0, run.handling(0, "external"));
        assertEquals(0, run.handling(1, "do_nmi"));
    }

    @Test
    void unknownNmiPanicPanicsWithNmiNotContinuing() throws IOException {
        Run run = run("unknown-nmi-panic");

        List<String> console = run.console();
        assertInOrder(console, WATCHDOG_ENABLED, UHHUH, "Kernel panic - not syncing: NMI: Not continuing",
                "CPU: 0 PID: 0 Comm: swapper/0 Not tainted 6.1.0-nmilab #1", "Call Trace:", " <NMI>", " panic",
                " </NMI>", "Kernel Offset: disabled", "---[ end Kernel panic - not syncing: NMI: Not continuing ]---");
        assertEquals(UHHUH, console.get(1));
        assertEquals("Kernel panic - not syncing: NMI: Not continuing", console.get(2));
        assertFalse(console.contains(DAZED));
        assertVerdict(run, "HALTED");
        JsonNode reason = run.report().get("reason");
        assertEquals(0, reason.get("panic_cpu").asInt());
        assertEquals("NMI: Not continuing", reason.get("panic_message").asText());
        assertEquals(1, run.nmisDelivered(0));
        assertEquals(0, run.nmisDelivered(1));
        assertEquals("HALTED", run.cpu(1).get("state").asText(), "panic stops the other CPU");
    }

    @Test
    void ioCheckNmiPrintsRegistersAndSpendsTwoSecondsInNmi() throws IOException {
        Run run = run("io-check-nmi");

        List<String> console = run.console();
        assertEquals(IOCK, console.get(1));
        assertInOrder(console, IOCK, "CPU: 0 PID: 0 Comm: swapper/0 Not tainted 6.1.0-nmilab #1",
                "RIP: 0010:do_idle", "RSP: 0018:ffff888000208000 EFLAGS: 00000202", "Call Trace:", " <TASK>",
                " do_idle", " </TASK>");
        assertFalse(console.contains(DAZED));
        assertFalse(console.stream().anyMatch(line -> line.startsWith("Kernel panic")));
        assertVerdict(run, "SURVIVED");
        assertEquals(1, run.nmisDelivered(0));
        assertEquals(0, run.nmisDelivered(1));
        // 19999 x udelay(100) inside the NMI
        long unhalted = run.cpu(0).get("unhalted_ns").asLong();
        assertTrue(unhalted >= 1_999_900_000L && unhalted < 2_000_000_000L, "CPU 0 unhalted " + unhalted);
        assertEquals(1, run.handling(0, "external"));
        assertEquals(0, run.handling(0, "unknown"));
        assertEquals(1, run.cpu(0).get("irets").asLong());
    }

    @Test
    void ioCheckNmiPanicPanicsAfterTheRegisters() throws IOException {
        Run run = run("io-check-nmi-panic");

        List<String> console = run.console();
        assertEquals(IOCK, console.get(1));
        assertInOrder(console, IOCK, "RIP: 0010:do_idle", "Call Trace:",
                "Kernel panic - not syncing: NMI IOCK error: Not continuing", "Kernel Offset: disabled",
                "---[ end Kernel panic - not syncing: NMI IOCK error: Not continuing ]---");
        assertEquals("---[ end Kernel panic - not syncing: NMI IOCK error: Not continuing ]---", console.getLast());
        assertVerdict(run, "HALTED");
        JsonNode reason = run.report().get("reason");
        assertEquals(0, reason.get("panic_cpu").asInt());
        assertEquals("NMI IOCK error: Not continuing", reason.get("panic_message").asText());
        long panicAt = reason.get("panic_time_ns").asLong();
        assertTrue(panicAt >= 1_000_000L && panicAt < 1_010_000L, "no udelay loop before the panic: " + panicAt);
        assertEquals(1, run.nmisDelivered(0));
        assertEquals(0, run.cpu(0).get("irets").asLong(), "the panicking NMI never returns");
    }

    @Test
    void hardLockupIsDetectedOnCpu1AndPanics() throws IOException {
        Run run = run("hard-lockup");

        List<String> console = run.console();
        String lockup = "NMI watchdog: Watchdog detected hard LOCKUP on cpu 1";
        assertEquals(WATCHDOG_ENABLED, console.get(0));
        assertEquals(lockup, console.get(1));
        assertInOrder(console, lockup, "Modules linked in:",
                "CPU: 1 PID: 2 Comm: spinner Not tainted 6.1.0-nmilab #1", "RIP: 0010:busy_loop_fn",
                "Call Trace:", " busy_loop_fn", " kthread", " ret_from_fork", " </TASK>",
                "Kernel panic - not syncing: Hard LOCKUP", "Kernel Offset: disabled",
                "---[ end Kernel panic - not syncing: Hard LOCKUP ]---");
        assertEquals(1, console.stream().filter(lockup::equals).count());
        // the spinner starts at 0.5 s; PMIs at 1.5 s (count saved) and 2.5 s (count unchanged)
        assertEquals("[    2.500000] " + lockup, run.rawConsole().get(1));
        assertVerdict(run, "HALTED");
        JsonNode reason = run.report().get("reason");
        assertEquals(1, reason.get("panic_cpu").asInt());
        assertEquals("Hard LOCKUP", reason.get("panic_message").asText());
        assertEquals(2, run.nmisDelivered(1));
        assertEquals(0, run.nmisDelivered(0), "CPU 0 idles: its cycle counter does not count");
        assertEquals(2, run.handling(1, "do_nmi"));
        assertEquals(2, run.handling(1, "handled_local"), "the PMI handler claimed both");
        assertEquals(0, run.handling(1, "unknown"));
        // the watchdog hrtimer went through the IDT once on CPU 1 (at 0.4 s, before the spin)
        assertEquals(1, run.cpu(1).get("exceptions").get("IRQ 0xec").asLong());
        assertTrue(run.cpu(0).get("exceptions").get("IRQ 0xec").asLong() >= 6);
    }
}
