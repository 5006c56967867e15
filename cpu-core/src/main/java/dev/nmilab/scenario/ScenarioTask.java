package dev.nmilab.scenario;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** One workload task: its type's name, optional CPU pinning and name, and the type's validated spec. */
public record ScenarioTask(String type, OptionalInt cpu, Optional<String> name, TaskSpec spec, SourceLocation location) {

    public ScenarioTask {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(location, "location");
    }
}
