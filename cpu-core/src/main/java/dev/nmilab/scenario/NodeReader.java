package dev.nmilab.scenario;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Typed reads of located nodes. Every failure is a {@link ScenarioException} at the node's
 * location, phrased "expected WHAT, got 'TEXT'" (the "got" part is left out for values from
 * {@code --set}, whose argument already shows them).
 */
final class NodeReader {

    private NodeReader() {
    }

    static ScenarioException expected(LocatedNode node, String path, String what) {
        String problem = "expected " + what;
        if (!node.location().isOverride()) {
            problem += ", got " + node.describe();
        }
        return new ScenarioException(node.location(), path, problem);
    }

    /** {@code failure} is an IllegalArgumentException whose message starts with "expected ". */
    private static ScenarioException expected(LocatedNode node, String path, IllegalArgumentException failure) {
        return expected(node, path, failure.getMessage().substring("expected ".length()));
    }

    static LocatedMap map(LocatedNode node, String path) {
        if (node instanceof LocatedMap map) {
            return map;
        }
        throw expected(node, path, "a map");
    }

    static LocatedList list(LocatedNode node, String path) {
        if (node instanceof LocatedList list) {
            return list;
        }
        throw expected(node, path, "a list");
    }

    /** The text of a non-null scalar; {@code what} names the expectation in the error. */
    static String text(LocatedNode node, String path, String what) {
        if (node instanceof LocatedScalar scalar && !scalar.isNull()) {
            return scalar.text();
        }
        throw expected(node, path, what);
    }

    /** A non-empty one-line string, outer whitespace stripped (a folded block ends in a newline). */
    static String oneLineString(LocatedNode node, String path) {
        String text = text(node, path, "a one-line string").strip();
        if (text.isEmpty() || text.contains("\n") || text.contains("\r")) {
            throw expected(node, path, "a one-line string");
        }
        return text;
    }

    static long integer(LocatedNode node, String path, long min, long max) {
        String what = "an integer " + min + ".." + max;
        String text = text(node, path, what);
        long value;
        try {
            value = Integers.parse(text);
        } catch (NumberFormatException notAnInteger) {
            throw expected(node, path, what);
        }
        if (value < min || value > max) {
            throw expected(node, path, what);
        }
        return value;
    }

    static long positiveInteger(LocatedNode node, String path) {
        String what = "a positive integer";
        String text = text(node, path, what);
        try {
            long value = Integers.parse(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException notAnInteger) {
            // reported below with the same wording as a zero or negative value
        }
        throw expected(node, path, what);
    }

    static long durationNanos(LocatedNode node, String path) {
        String text = text(node, path, Durations.EXAMPLES);
        try {
            return Durations.parseNanos(text);
        } catch (IllegalArgumentException bad) {
            throw expected(node, path, bad);
        }
    }

    static long sizeBytes(LocatedNode node, String path) {
        String text = text(node, path, Sizes.EXAMPLES);
        try {
            return Sizes.parseBytes(text);
        } catch (IllegalArgumentException bad) {
            throw expected(node, path, bad);
        }
    }

    /** A CPU number that exists on a machine of {@code cpuCount} CPUs. */
    static int cpuNumber(LocatedNode node, String path, int cpuCount) {
        String what = "a CPU number";
        String text = text(node, path, what);
        long cpu;
        try {
            cpu = Integers.parse(text);
        } catch (NumberFormatException notAnInteger) {
            throw expected(node, path, what);
        }
        if (cpu < 0) {
            throw expected(node, path, what);
        }
        if (cpu >= cpuCount) {
            throw new ScenarioException(node.location(), path,
                    "CPU " + cpu + " does not exist (machine.cpus is " + cpuCount + ")");
        }
        return (int) cpu;
    }

    /** Rejects every key of {@code map} that is not in {@code allowed}, suggesting the closest one. */
    static void rejectUnknownKeys(LocatedMap map, String path, Collection<String> allowed) {
        for (LocatedMap.Entry entry : map.entries()) {
            if (!allowed.contains(entry.key())) {
                throw unknownKey(entry, path, allowed);
            }
        }
    }

    static ScenarioException unknownKey(LocatedMap.Entry entry, String path, Collection<String> allowed) {
        String problem = "unknown key " + Quoting.quote(entry.key())
                + KeySuggestions.closest(entry.key(), allowed)
                        .map(near -> " (did you mean " + Quoting.quote(near) + "?)")
                        .orElseGet(() -> allowed.isEmpty() ? " (no keys are allowed here)" : " (known keys: " + sortedList(allowed) + ")");
        return new ScenarioException(entry.keyLocation(), KeyPaths.child(path, entry.key()), problem);
    }

    static LocatedNode required(LocatedMap map, String path, String key) {
        return map.get(key).orElseThrow(() ->
                new ScenarioException(map.location(), path, "missing required key " + Quoting.quote(key)));
    }

    /** Names sorted and comma-separated, for "known ..." lists that must read the same every run. */
    static String sortedList(Collection<String> names) {
        return String.join(", ", List.copyOf(new TreeSet<>(names)));
    }
}
