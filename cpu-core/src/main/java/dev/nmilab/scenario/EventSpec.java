package dev.nmilab.scenario;

/**
 * What an event type's {@link ScenarioEventType#validate} returns: the event's validated
 * parameters, in the type's own record. The runtime dispatches on the concrete class.
 */
public interface EventSpec {
}
