package dev.nmilab.scenario.events;

import dev.nmilab.scenario.EventSpec;

/** A magic SysRq key handled on {@code cpu}, as {@code echo KEY > /proc/sysrq-trigger} would run it. */
public record SysrqEvent(char key, int cpu) implements EventSpec {
}
