package dev.nmilab.scenario;

import java.util.List;
import java.util.Set;

/**
 * A kind of timed event a scenario can schedule ({@code nmi}, {@code irq}, a plugin's
 * {@code bmc-diag-nmi}, ...). The parser knows none by name: it takes a registry of these
 * (Guice {@code MapBinder<String, ScenarioEventType>} in the runtime).
 *
 * <p>The parser checks the keys common to all events ({@code type}, the trigger, {@code cpu}),
 * rejects keys outside {@link #keys()} and reports missing required ones, then calls
 * {@link #validate} with only this type's keys.
 */
public interface ScenarioEventType {

    /** Keys every event has; a type cannot use them for its own parameters. */
    Set<String> RESERVED_KEYS = Set.of("type", "cpu", "at", "insn", "symbol", "count");

    /** The value of {@code type:} that selects this type; lower case, digits and dashes. */
    String name();

    /** This type's own keys, in the order the documentation lists them. */
    List<KeySpec> keys();

    CpuUse cpuUse();

    /**
     * Checks this type's parameters and returns them as a typed spec.
     *
     * @param params only this type's keys, all known and all required ones present; located at
     *     the event's map
     * @param ctx key path, CPU count and the event's validated {@code cpu}, plus typed readers
     * @throws ScenarioException for a bad value, made with the {@code ctx} helpers
     */
    EventSpec validate(LocatedMap params, ValidationContext ctx);
}
