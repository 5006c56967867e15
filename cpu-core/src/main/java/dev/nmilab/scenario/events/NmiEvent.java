package dev.nmilab.scenario.events;

import dev.nmilab.scenario.EventSpec;

/** An NMI raised on one CPU, as an external NMI pin (LINT1 / the chipset) would raise it. */
public record NmiEvent(int cpu) implements EventSpec {
}
