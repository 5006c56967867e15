package dev.nmilab.scenario;

/** What a task type's {@link ScenarioTaskType#validate} returns: the task's validated parameters. */
public interface TaskSpec {
}
