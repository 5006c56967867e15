package dev.nmilab.scenario;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What an event or task type sees while validating one list item: its key path
 * ({@code events[2]}), the machine's CPU count, the item's already validated {@code cpu}, and
 * readers that turn a parameter into a typed value or throw a located one-line
 * {@link ScenarioException} worded like the parser's own errors.
 */
public final class ValidationContext {

    private final String keyPath;
    private final int cpuCount;
    private final OptionalInt cpu;

    public ValidationContext(String keyPath, int cpuCount, OptionalInt cpu) {
        this.keyPath = Objects.requireNonNull(keyPath, "keyPath");
        if (cpuCount < 1) {
            throw new IllegalArgumentException("cpuCount must be at least 1, got " + cpuCount);
        }
        this.cpuCount = cpuCount;
        this.cpu = Objects.requireNonNull(cpu, "cpu");
    }

    /** The item's own path, like {@code events[2]}. */
    public String keyPath() {
        return keyPath;
    }

    /** The path of one of the item's keys, like {@code events[2].vector}. */
    public String keyPath(String key) {
        return KeyPaths.child(keyPath, key);
    }

    public int cpuCount() {
        return cpuCount;
    }

    /** The item's {@code cpu}, already checked against {@link #cpuCount()}; empty when not given. */
    public OptionalInt cpu() {
        return cpu;
    }

    /** An error about {@code key}'s value, at the value's location. */
    public ScenarioException error(LocatedMap params, String key, String problem) {
        LocatedNode node = NodeReader.required(params, keyPath, key);
        return new ScenarioException(node.location(), keyPath(key), problem);
    }

    /** An error about the item as a whole, at the item's map. */
    public ScenarioException error(LocatedMap params, String problem) {
        return new ScenarioException(params.location(), keyPath, problem);
    }

    /** An "expected WHAT, got 'TEXT'" error about {@code key}'s value. */
    public ScenarioException expected(LocatedMap params, String key, String what) {
        return NodeReader.expected(NodeReader.required(params, keyPath, key), keyPath(key), what);
    }

    public String string(LocatedMap params, String key) {
        return NodeReader.text(NodeReader.required(params, keyPath, key), keyPath(key), "a string");
    }

    public Optional<String> optionalString(LocatedMap params, String key) {
        return params.containsKey(key) ? Optional.of(string(params, key)) : Optional.empty();
    }

    public int intValue(LocatedMap params, String key, int min, int max) {
        return (int) NodeReader.integer(NodeReader.required(params, keyPath, key), keyPath(key), min, max);
    }

    public OptionalInt optionalIntValue(LocatedMap params, String key, int min, int max) {
        return params.containsKey(key) ? OptionalInt.of(intValue(params, key, min, max)) : OptionalInt.empty();
    }

    public long longValue(LocatedMap params, String key, long min, long max) {
        return NodeReader.integer(NodeReader.required(params, keyPath, key), keyPath(key), min, max);
    }

    public long durationNanos(LocatedMap params, String key) {
        return NodeReader.durationNanos(NodeReader.required(params, keyPath, key), keyPath(key));
    }

    public long sizeBytes(LocatedMap params, String key) {
        return NodeReader.sizeBytes(NodeReader.required(params, keyPath, key), keyPath(key));
    }

    /** A CPU number that exists on this machine ("CPU 4 does not exist (machine.cpus is 2)"). */
    public int cpuNumber(LocatedMap params, String key) {
        return NodeReader.cpuNumber(NodeReader.required(params, keyPath, key), keyPath(key), cpuCount);
    }
}
