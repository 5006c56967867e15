package dev.nmilab.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies {@code --set KEY=VALUE} overrides to a located tree before validation, so that a bad
 * override is reported like a bad line of the file, naming the override instead of a line.
 *
 * <ul>
 *   <li>{@code KEY} is a dotted path; {@code name[N]} steps into item N of an existing list
 *       ({@code events[0].at=3s}). Maps missing on the way are created.
 *   <li>Everything after {@code machine.sysctls.} is one sysctl name, because sysctl names hold
 *       dots themselves ({@code machine.sysctls.kernel.panic=10}).
 *   <li>{@code KEY+=VALUE} appends to a string with one space between ({@code machine.cmdline+=nmi_watchdog=0}).
 *   <li>{@code VALUE} is always a plain string; validation then reads it as the key's type.
 * </ul>
 */
public final class ScenarioOverrides {

    private static final String SYSCTLS_PREFIX = "machine.sysctls.";
    private static final Pattern STEP = Pattern.compile("([A-Za-z0-9_-]+)(?:\\[(\\d{1,9})])?");

    private record Step(String key, OptionalInt index) {
    }

    private ScenarioOverrides() {
    }

    /**
     * Returns a copy of {@code root} with every override applied in order; {@code root} itself is
     * not changed. A root that is not a map is returned as is: validation reports it.
     *
     * @throws ScenarioException naming the override when one is malformed or cannot apply
     */
    public static LocatedNode applyOverrides(LocatedNode root, List<String> sets) {
        LocatedNode result = root;
        for (String set : sets) {
            if (!(result instanceof LocatedMap map)) {
                return result;
            }
            result = applyOne(map, set);
        }
        return result;
    }

    private static LocatedMap applyOne(LocatedMap root, String set) {
        SourceLocation origin = SourceLocation.ofOverride(root.location().file(), set);
        int equals = set.indexOf('=');
        if (equals <= 0) {
            throw new ScenarioException(origin, "", "expected KEY=VALUE or KEY+=VALUE");
        }
        String key = set.substring(0, equals);
        boolean append = key.endsWith("+");
        if (append) {
            key = key.substring(0, key.length() - 1);
        }
        List<Step> steps = steps(key, origin);
        String value = set.substring(equals + 1);
        return (LocatedMap) assign(root, steps, 0, value, append, origin);
    }

    private static List<Step> steps(String key, SourceLocation origin) {
        List<String> parts = new ArrayList<>();
        if (key.startsWith(SYSCTLS_PREFIX) && key.length() > SYSCTLS_PREFIX.length()) {
            parts.add("machine");
            parts.add("sysctls");
            parts.add(key.substring(SYSCTLS_PREFIX.length()));
            return parts.stream().map(p -> new Step(p, OptionalInt.empty())).toList();
        }
        List<Step> steps = new ArrayList<>();
        for (String part : key.split("\\.", -1)) {
            Matcher m = STEP.matcher(part);
            if (!m.matches()) {
                throw new ScenarioException(origin, "", "expected a dotted key like machine.cpus or events[0].at before '='");
            }
            steps.add(new Step(m.group(1), m.group(2) == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(m.group(2)))));
        }
        return steps;
    }

    /** Sets the value at {@code steps[i..]} below {@code node}, returning the changed copy of {@code node}. */
    private static LocatedNode assign(LocatedNode node, List<Step> steps, int i, String value, boolean append, SourceLocation origin) {
        Step step = steps.get(i);
        String here = pathOf(steps, i);
        if (!(node instanceof LocatedMap map)) {
            throw new ScenarioException(origin, "", "cannot set a key inside " + (here.isEmpty() ? "the top level" : here) + ", which is not a map");
        }
        String stepPath = KeyPaths.child(here, step.key());
        LocatedNode current = map.get(step.key()).orElse(null);
        LocatedNode replacement;
        if (step.index().isPresent()) {
            replacement = assignInList(current, stepPath, step.index().getAsInt(), steps, i, value, append, origin);
        } else if (i == steps.size() - 1) {
            replacement = LocatedScalar.of(appended(current, stepPath, value, append, origin), origin);
        } else {
            LocatedNode child = current != null ? current : new LocatedMap(List.of(), origin);
            replacement = assign(child, steps, i + 1, value, append, origin);
        }
        return map.with(step.key(), origin, replacement);
    }

    private static LocatedNode assignInList(LocatedNode current, String listPath, int index, List<Step> steps, int i,
                                            String value, boolean append, SourceLocation origin) {
        if (!(current instanceof LocatedList list)) {
            throw new ScenarioException(origin, "", listPath + " is not a list in the scenario");
        }
        if (index >= list.items().size()) {
            throw new ScenarioException(origin, "", listPath + " has no item " + index + " (it has " + list.items().size() + ")");
        }
        LocatedNode item = list.items().get(index);
        LocatedNode changed = i == steps.size() - 1
                ? LocatedScalar.of(appended(item, KeyPaths.item(listPath, index), value, append, origin), origin)
                : assign(item, steps, i + 1, value, append, origin);
        List<LocatedNode> items = new ArrayList<>(list.items());
        items.set(index, changed);
        return new LocatedList(items, list.location());
    }

    private static String appended(LocatedNode current, String path, String value, boolean append, SourceLocation origin) {
        if (!append || current == null) {
            return value;
        }
        if (!(current instanceof LocatedScalar scalar)) {
            throw new ScenarioException(origin, "", "cannot append to " + path + ", which is " + current.describe());
        }
        return scalar.text().isEmpty() ? value : scalar.text() + " " + value;
    }

    private static String pathOf(List<Step> steps, int count) {
        String path = "";
        for (int j = 0; j < count; j++) {
            Step step = steps.get(j);
            path = KeyPaths.child(path, step.key());
            if (step.index().isPresent()) {
                path = KeyPaths.item(path, step.index().getAsInt());
            }
        }
        return path;
    }
}
