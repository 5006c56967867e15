package dev.nmilab.scenario.events;

import dev.nmilab.scenario.EventSpec;

/** An external interrupt with {@code vector} delivered to {@code cpu}'s local APIC. */
public record IrqEvent(int cpu, int vector) implements EventSpec {
}
