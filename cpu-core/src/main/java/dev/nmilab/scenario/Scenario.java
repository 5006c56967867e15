package dev.nmilab.scenario;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A validated scenario file: everything a run needs, immutable, lists in file order. */
public record Scenario(
        String name,
        String description,
        Machine machine,
        List<StubSource> stubs,
        List<ScenarioTask> tasks,
        List<ScheduledEvent> events,
        Limits limits,
        Optional<Verdict> expect) {

    public Scenario {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(machine, "machine");
        stubs = List.copyOf(stubs);
        tasks = List.copyOf(tasks);
        events = List.copyOf(events);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(expect, "expect");
    }
}
