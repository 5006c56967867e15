package dev.nmilab.kernel.runtime;

import dev.nmilab.scenario.EventSpec;
import dev.nmilab.scenario.ScenarioEventType;

/** A scenario event type contributed by a subsystem or plugin, with what it does when it fires. */
public interface ScenarioEventHandler extends ScenarioEventType {
    void apply(KernelRuntime runtime, EventSpec spec);
}
