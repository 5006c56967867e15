package dev.nmilab.scenario;

import java.util.List;
import java.util.Set;

/**
 * A kind of workload task a scenario can start (a buggy kthread, a hugepage user, ...). None are
 * built in here: the runtime registers them, and the parser takes the registry.
 *
 * <p>The parser checks {@code type}, {@code cpu} and {@code name}, rejects keys outside
 * {@link #keys()} and reports missing required ones, then calls {@link #validate}.
 */
public interface ScenarioTaskType {

    /** Keys every task has; a type cannot use them for its own parameters. */
    Set<String> RESERVED_KEYS = Set.of("type", "cpu", "name");

    String name();

    List<KeySpec> keys();

    /**
     * @param params only this type's keys, all known and all required ones present
     * @param ctx key path, CPU count and the task's validated {@code cpu}, plus typed readers
     * @throws ScenarioException for a bad value, made with the {@code ctx} helpers
     */
    TaskSpec validate(LocatedMap params, ValidationContext ctx);
}
