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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What report.json, trace.json, events.jsonl and console.log of the built-in scenarios hold. */
class OutputFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Path run(String scenario) {
        Path out = temp.resolve(scenario);
        CliRun run = CliRun.of("run", scenario, "--out", out.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        return out;
    }

    @Test
    void bugInKthreadReportNamesThePanic() throws IOException {
        Path out = run("bug-in-kthread");
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());

        assertEquals("bug-in-kthread", report.get("scenario").asText());
        assertEquals("linux-6.1", report.get("profile").asText());
        assertEquals(0, report.get("seed").asLong());
        assertEquals("HALTED", report.get("verdict").asText());
        assertEquals("HALTED", report.get("expected").asText());
        JsonNode reason = report.get("reason");
        assertEquals(1, reason.get("panic_cpu").asInt());
        assertEquals("Fatal exception", reason.get("panic_message").asText());
        assertEquals("panic on CPU 1: Fatal exception", reason.get("summary").asText());
        long panicAt = reason.get("panic_time_ns").asLong();
        assertTrue(panicAt >= 2_000_000 && panicAt < 2_001_000, "BUG after the 2 ms sleep, at " + panicAt);
        assertEquals("STOPPED", report.get("end").asText());
        JsonNode cpus = report.get("cpus");
        assertEquals(2, cpus.size());
        assertEquals(List.of("HALTED", "HALTED"), List.of(cpus.get(0).get("state").asText(), cpus.get(1).get("state").asText()));
        assertEquals(1, cpus.get(1).get("exceptions").get("#UD").asInt());
        assertEquals(0, cpus.get(0).get("exceptions").size());

        List<String> console = Files.readAllLines(out.resolve("console.log"));
        assertEquals("[    0.000000] NMI watchdog: Enabled. Permanently consumes one hw-PMU counter.", console.get(0));
        assertEquals("[    0.002000] ------------[ cut here ]------------", console.get(1));
        assertEquals("[    0.002000] ---[ end Kernel panic - not syncing: Fatal exception ]---",
                console.get(console.size() - 1));
    }

    @Test
    void iretProblemTraceIsValidJsonWithNoSliceEndWithoutABegin() throws IOException {
        Path out = run("iret-problem");
        JsonNode trace = JSON.readTree(out.resolve("trace.json").toFile());

        assertEquals("ns", trace.get("displayTimeUnit").asText());
        Map<Integer, Integer> depth = new TreeMap<>();
        Map<Integer, Integer> begins = new TreeMap<>();
        Map<Integer, Integer> ends = new TreeMap<>();
        Map<Integer, Double> lastTs = new TreeMap<>();
        List<String> instants = new ArrayList<>();
        for (JsonNode event : trace.get("traceEvents")) {
            String phase = event.get("ph").asText();
            int tid = event.get("tid").asInt();
            if (phase.equals("M")) {
                continue;
            }
            double ts = event.get("ts").asDouble();
            assertTrue(ts >= lastTs.getOrDefault(tid, 0.0), "time runs forward on tid " + tid + ": " + event);
            lastTs.put(tid, ts);
            switch (phase) {
                case "B" -> {
                    depth.merge(tid, 1, Integer::sum);
                    begins.merge(tid, 1, Integer::sum);
                }
                case "E" -> {
                    assertTrue(depth.getOrDefault(tid, 0) > 0, "E without an open B on tid " + tid + ": " + event);
                    depth.merge(tid, -1, Integer::sum);
                    ends.merge(tid, 1, Integer::sum);
                }
                case "i" -> instants.add(event.get("name").asText());
                default -> throw new AssertionError("unexpected phase " + phase + ": " + event);
            }
        }
        // two NMIs and two #BPs open slices on CPU 0; the writer closes what is still open at the end
        assertEquals(Map.of(0, 4), begins);
        assertEquals(begins, ends);
        assertEquals(Map.of(0, 0), depth);
        assertTrue(instants.contains("frame_overwritten"), instants.toString());
        // the looping iretqs that pop frames nobody pushed are instants, not unmatched E events
        assertTrue(instants.stream().filter("iretq (no open frame)"::equals).count() > 100);

        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertEquals("HANG", report.get("verdict").asText());
        assertFalse(report.get("reason").has("panic_cpu"));
        for (String line : Files.readAllLines(out.resolve("events.jsonl"))) {
            assertTrue(JSON.readTree(line).isObject(), line);
        }
    }
}
