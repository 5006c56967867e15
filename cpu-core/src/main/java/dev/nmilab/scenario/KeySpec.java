package dev.nmilab.scenario;

import java.util.Objects;

/** One key an event or task type accepts, for validation and for the reference documentation. */
public record KeySpec(String name, boolean required, String description) {

    public KeySpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }

    public static KeySpec required(String name, String description) {
        return new KeySpec(name, true, description);
    }

    public static KeySpec optional(String name, String description) {
        return new KeySpec(name, false, description);
    }
}
