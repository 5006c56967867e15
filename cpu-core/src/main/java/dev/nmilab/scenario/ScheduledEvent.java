package dev.nmilab.scenario;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One entry of {@code events}, in file order: its trigger, its {@code cpu} as written (the trigger's
 * and the type's CPU are the same key), its type's name and validated spec, and where it was written.
 */
public record ScheduledEvent(EventTrigger trigger, OptionalInt cpu, String type, EventSpec spec, SourceLocation location) {

    public ScheduledEvent {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(location, "location");
    }
}
