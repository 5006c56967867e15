package dev.nmilab.scenario;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.regex.Pattern;

/**
 * Turns a located tree into a {@link Scenario}, stopping at the first problem. The order of the
 * checks is fixed (and documented in docs/scenario-schema.md): unknown top-level keys, name,
 * description, machine, stubs, tasks, limits, events, expect. Limits come before events because
 * an event past the time limit is an error.
 */
final class ScenarioValidator {

    static final List<String> TOP_LEVEL_KEYS = List.of("name", "description", "machine", "stubs", "tasks", "events", "limits", "expect");
    static final List<String> LIMITS_KEYS = List.of("time", "instructions");

    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+");

    private final SortedSet<String> knownProfiles;
    private final SortedMap<String, ScenarioEventType> eventTypes;
    private final SortedMap<String, ScenarioTaskType> taskTypes;

    ScenarioValidator(SortedSet<String> knownProfiles, SortedMap<String, ScenarioEventType> eventTypes, SortedMap<String, ScenarioTaskType> taskTypes) {
        this.knownProfiles = knownProfiles;
        this.eventTypes = eventTypes;
        this.taskTypes = taskTypes;
    }

    Scenario validate(LocatedNode rootNode, Optional<Path> baseDirectory) {
        if (!(rootNode instanceof LocatedMap root)) {
            throw new ScenarioException(rootNode.location(), "", "expected a map of scenario keys at the top level, got " + rootNode.describe());
        }
        NodeReader.rejectUnknownKeys(root, "", TOP_LEVEL_KEYS);
        String name = name(root);
        String description = NodeReader.oneLineString(NodeReader.required(root, "", "description"), "description");
        Machine machine = MachineSection.read(root.get("machine"), root, knownProfiles);
        List<StubSource> stubs = StubsSection.read(root.get("stubs"), baseDirectory);
        List<ScenarioTask> tasks = TasksSection.read(root.get("tasks"), taskTypes, machine.cpus());
        Limits limits = limits(root.get("limits"));
        List<ScheduledEvent> events = EventsSection.read(root.get("events"), eventTypes, machine.cpus(), limits);
        Optional<Verdict> expect = root.get("expect").map(ScenarioValidator::verdict);
        return new Scenario(name, description, machine, stubs, tasks, events, limits, expect);
    }

    private static String name(LocatedMap root) {
        LocatedNode node = NodeReader.required(root, "", "name");
        String name = NodeReader.text(node, "name", "a name of lower-case letters, digits and dashes");
        if (!NAME.matcher(name).matches()) {
            throw NodeReader.expected(node, "name", "a name of lower-case letters, digits and dashes");
        }
        return name;
    }

    private static Limits limits(Optional<LocatedNode> section) {
        if (section.isEmpty()) {
            return Limits.DEFAULTS;
        }
        LocatedMap limits = NodeReader.map(section.get(), "limits");
        NodeReader.rejectUnknownKeys(limits, "limits", LIMITS_KEYS);
        long time = limits.get("time").map(node -> {
            long nanos = NodeReader.durationNanos(node, "limits.time");
            if (nanos == 0) {
                throw NodeReader.expected(node, "limits.time", "a duration longer than 0s");
            }
            return nanos;
        }).orElse(Limits.DEFAULT_TIME_NANOS);
        long instructions = limits.get("instructions")
                .map(node -> NodeReader.positiveInteger(node, "limits.instructions"))
                .orElse(Limits.DEFAULT_INSTRUCTIONS);
        return new Limits(time, instructions);
    }

    private static Verdict verdict(LocatedNode node) {
        String what = "one of " + String.join(", ", List.of(Verdict.values()).stream().map(Verdict::name).toList());
        String text = NodeReader.text(node, "expect", what);
        for (Verdict verdict : Verdict.values()) {
            if (verdict.name().equals(text)) {
                return verdict;
            }
        }
        throw NodeReader.expected(node, "expect", what);
    }
}
