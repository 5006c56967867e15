package dev.nmilab.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nmilab.event.ConsoleLine;
import dev.nmilab.event.CpuEvent;
import dev.nmilab.event.CpuHalted;
import dev.nmilab.event.CpuShutdown;
import dev.nmilab.event.ExceptionDelivered;
import dev.nmilab.event.IretExecuted;
import dev.nmilab.event.NmiDropped;
import dev.nmilab.event.NmiLatched;
import dev.nmilab.event.Note;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The event timeline in Chrome Trace Event format (opens in Perfetto UI and chrome://tracing):
 * one track per CPU; exceptions and NMIs as nested slices (B at delivery, E at the iret that
 * pops them); console lines, latches, drops, halts, shutdowns and notes as instant events.
 * Timestamps are microseconds with nanosecond decimals, written as text so output is exact.
 */
final class ChromeTrace {
    private ChromeTrace() {
    }

    static String write(int cpus, List<CpuEvent> events, String title) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("displayTimeUnit", "ns");
            json.writeArrayFieldStart("traceEvents");
            metadata(json, "process_name", 0, "name", title);
            for (int cpu = 0; cpu < cpus; cpu++) {
                metadata(json, "thread_name", cpu, "name", "CPU " + cpu);
            }
            int[] depth = new int[cpus];
            for (CpuEvent event : events) {
                writeEvent(json, event, depth);
            }
            for (int cpu = 0; cpu < cpus; cpu++) {
                long end = events.isEmpty() ? 0 : events.get(events.size() - 1).timeNs();
                for (; depth[cpu] > 0; depth[cpu]--) {
                    phase(json, "E", "", cpu, end);
                    json.writeEndObject();
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text + "\n";
    }

    private static void writeEvent(JsonGenerator json, CpuEvent event, int[] depth) throws IOException {
        int cpu = event.cpu();
        switch (event) {
            case ExceptionDelivered e -> {
                depth[cpu]++;
                phase(json, "B", e.name(), cpu, e.timeNs());
                json.writeObjectFieldStart("args");
                json.writeStringField("from", e.from());
                json.writeStringField("handler", e.handler());
                json.writeNumberField("ist", e.ist());
                json.writeStringField("frame", String.format("0x%x", e.frame()));
                json.writeEndObject();
                json.writeEndObject();
            }
            case IretExecuted i -> {
                if (depth[cpu] > 0) {
                    depth[cpu]--;
                    phase(json, "E", "", cpu, i.timeNs());
                    json.writeObjectFieldStart("args");
                    json.writeStringField("iret_at", i.at());
                    json.writeStringField("to", i.to());
                    json.writeBooleanField("unblocked_nmi", i.unblockedNmi());
                    json.writeEndObject();
                    json.writeEndObject();
                } else {
                    instant(json, "iretq (no open frame)", cpu, i.timeNs(), "to", i.to());
                }
            }
            case NmiLatched l -> instant(json, "NMI latched", cpu, l.timeNs(), "source", l.source());
            case NmiDropped d -> instant(json, "NMI dropped", cpu, d.timeNs(), "source", d.source());
            case ConsoleLine c -> instant(json, "console", cpu, c.timeNs(), "text", c.text());
            case CpuHalted h -> instant(json, h.halted() ? "hlt" : "wake", cpu, h.timeNs(), "at", h.at());
            case CpuShutdown s -> instant(json, "shutdown: " + s.reason(), cpu, s.timeNs(), "chain",
                    String.join("; ", s.chain()));
            case Note n -> instant(json, n.kind(), cpu, n.timeNs(), "text", n.text());
            default -> {
                // gate calls and port accesses stay in events.jsonl: too many to draw
            }
        }
    }

    private static void phase(JsonGenerator json, String phase, String name, int cpu, long timeNs)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeStringField("cat", "cpu");
        json.writeStringField("ph", phase);
        json.writeNumberField("pid", 0);
        json.writeNumberField("tid", cpu);
        json.writeFieldName("ts");
        json.writeNumber(micros(timeNs));
    }

    private static void instant(JsonGenerator json, String name, int cpu, long timeNs, String key, String value)
            throws IOException {
        phase(json, "i", name, cpu, timeNs);
        json.writeStringField("s", "t");
        json.writeObjectFieldStart("args");
        json.writeStringField(key, value);
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void metadata(JsonGenerator json, String name, int tid, String key, String value)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeStringField("ph", "M");
        json.writeNumberField("pid", 0);
        json.writeNumberField("tid", tid);
        json.writeObjectFieldStart("args");
        json.writeStringField(key, value);
        json.writeEndObject();
        json.writeEndObject();
    }

    static String micros(long timeNs) {
        return (timeNs / 1000) + "." + String.format("%03d", timeNs % 1000);
    }
}
