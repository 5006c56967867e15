package dev.nmilab.scenario.events;

import dev.nmilab.scenario.EventSpec;
import java.util.OptionalInt;

/** An IPI that {@code sourceCpu} sends by writing its ICR; {@code vector} is present for FIXED only. */
public record IpiEvent(int sourceCpu, IpiMode mode, OptionalInt vector, IpiDestination destination) implements EventSpec {
}
