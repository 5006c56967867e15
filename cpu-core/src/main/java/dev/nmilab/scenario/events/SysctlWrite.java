package dev.nmilab.scenario.events;

import dev.nmilab.scenario.EventSpec;

/** A write of {@code value} to sysctl {@code name} (dotted, like kernel.panic) while the machine runs. */
public record SysctlWrite(String name, String value) implements EventSpec {
}
