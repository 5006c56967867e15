package dev.nmilab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nmilab.cli.CliRun;
import dev.nmilab.kdump.vmcore.VmcoreReader;
import dev.nmilab.kernel.printk.DmesgFormat;
import dev.nmilab.kernel.printk.LogRecord;
import dev.nmilab.kernel.printk.PrintkRingbuffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vmcore of a kdump run as the dump readers see it: Debian's makedumpfile --dump-dmesg and
 * readelf where installed, the capture kernel's vmcore-dmesg.txt and `nmilab crash VMCORE log`.
 * The console loglevel is 4, so the KERN_INFO lines are in the log but never reached the console.
 */
class VmcoreDmesgTest {
    private static final String NOT_ON_CONSOLE = "[    0.000000] NMI watchdog: Enabled. Permanently consumes one "
            + "hw-PMU counter.";

    @TempDir
    static Path temp;

    static Path out;

    @BeforeAll
    static void runKdumpScenario() {
        out = temp.resolve("run");
        CliRun run = CliRun.of("run", "nmi-panic-kdump", "--out", out.toString(),
                "--set=machine.sysctls.kernel.printk=4 4 1 7");
        assertEquals(0, run.exitCode(), run.stderr());
    }

    private static boolean installed(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        assertEquals(0, process.exitValue(), text);
        return text;
    }

    @Test
    void makedumpfilePrintsEveryRecordAsVmcoreDmesgAndCrashLogDo() throws Exception {
        assumeTrue(installed("makedumpfile"), "makedumpfile is not installed");
        Path vmcore = out.resolve("vmcore");
        Path dmesg = temp.resolve("dmesg.txt");

        String output = run("makedumpfile", "--dump-dmesg", vmcore.toString(), dmesg.toString());

        assertTrue(output.contains("The dmesg log is saved to " + dmesg), output);
        List<String> lines = Files.readAllLines(dmesg);
        List<String> console = Files.readAllLines(out.resolve("console.log"));
        // every console line in its order, and the records the console never showed
        List<String> rest = new ArrayList<>(lines);
        int at = 0;
        for (String line : console) {
            at = rest.subList(at, rest.size()).indexOf(line) + at;
            assertTrue(at >= 0 && at < rest.size() && rest.get(at).equals(line), "console line not in order: " + line);
            at++;
        }
        assertTrue(lines.contains(NOT_ON_CONSOLE), String.join("\n", lines));
        assertFalse(console.contains(NOT_ON_CONSOLE));
        // every record printk stored (seq 0..n-1, none lost), each as "[    0.200000] text"
        List<LogRecord> records;
        try (VmcoreReader reader = VmcoreReader.open(vmcore)) {
            long prb = Long.parseUnsignedLong(reader.vmcoreinfo().get("SYMBOL(prb)"), 16);
            records = PrintkRingbuffer.read(reader.memory(), reader.memory().readLong(prb));
        }
        assertEquals(LongStream.range(0, records.size()).boxed().toList(),
                records.stream().map(LogRecord::sequence).toList());
        assertEquals(records.stream().map(r -> DmesgFormat.line(r.timestampNs(), r.text())).toList(), lines);
        assertTrue(lines.size() > console.size(), lines.size() + " records, " + console.size() + " console lines");

        assertEquals(lines, Files.readAllLines(out.resolve("vmcore-dmesg.txt")));
        CliRun log = CliRun.of("crash", vmcore.toString(), "log");
        assertEquals(0, log.exitCode(), log.stderr());
        assertEquals(lines, log.stdoutLines());
    }

    @Test
    void readelfStillListsTheNotes() throws Exception {
        assumeTrue(installed("readelf"), "readelf is not installed");

        String notes = run("readelf", "-n", "-W", out.resolve("vmcore").toString());

        List<String> owners = new ArrayList<>();
        Matcher note = Pattern.compile("(?m)^\\s+(CORE|VMCOREINFO|NMILAB)\\s+0x[0-9a-f]+\\s+([^\t\n]*)").matcher(notes);
        while (note.find()) {
            owners.add(note.group(1) + " " + note.group(2).trim());
        }
        assertEquals(List.of("CORE NT_PRSTATUS (prstatus structure)", "CORE NT_PRSTATUS (prstatus structure)",
                "CORE NT_PRSTATUS (prstatus structure)", "CORE NT_PRSTATUS (prstatus structure)",
                "VMCOREINFO Unknown note type: (0x00000000)", "NMILAB Unknown note type: (0x00004e4d)"), owners);
    }
}
