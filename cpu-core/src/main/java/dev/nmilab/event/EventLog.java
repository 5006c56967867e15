package dev.nmilab.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/** Keeps every event of a run and writes them as JSON lines ({@code events.jsonl}). */
public final class EventLog implements Consumer<CpuEvent> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<CpuEvent> events = new ArrayList<>();

    @Override
    public void accept(CpuEvent event) {
        events.add(event);
    }

    public List<CpuEvent> events() {
        return Collections.unmodifiableList(events);
    }

    /** One event as a JSON object: {"type":..., then the record's fields in order}. */
    public static String toJsonLine(CpuEvent event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", event.type());
        ObjectNode fields = JSON.valueToTree(event);
        fields.remove("type");
        node.setAll(fields);
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String toJsonLines() {
        StringBuilder out = new StringBuilder();
        for (CpuEvent event : events) {
            out.append(toJsonLine(event)).append('\n');
        }
        return out.toString();
    }
}
