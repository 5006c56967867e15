package dev.nmilab.kernel.workload;

import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.scenario.ScenarioTask;
import dev.nmilab.scenario.ScenarioTaskType;

/** A scenario task type that can also start its tasks on a booted kernel. */
public interface Workload extends ScenarioTaskType {
    void spawn(KernelRuntime runtime, ScenarioTask task);
}
