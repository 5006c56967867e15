package dev.nmilab.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;

/** Validates {@code tasks:}, each through its registered {@link ScenarioTaskType}. */
final class TasksSection {

    static final List<String> COMMON_KEYS = List.of("type", "cpu", "name");

    /** TASK_COMM_LEN is 16 in include/linux/sched.h, including the terminating NUL. */
    static final int MAX_TASK_NAME = 15;

    private TasksSection() {
    }

    static List<ScenarioTask> read(Optional<LocatedNode> section, SortedMap<String, ScenarioTaskType> types, int cpuCount) {
        if (section.isEmpty()) {
            return List.of();
        }
        LocatedList list = NodeReader.list(section.get(), "tasks");
        List<ScenarioTask> tasks = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            tasks.add(readTask(list.items().get(i), KeyPaths.item("tasks", i), types, cpuCount));
        }
        return tasks;
    }

    private static ScenarioTask readTask(LocatedNode node, String path, SortedMap<String, ScenarioTaskType> types, int cpuCount) {
        LocatedMap item = NodeReader.map(node, path);
        String typeName = ItemChecks.typeName(item, path, "task", types.sequencedKeySet());
        ScenarioTaskType type = types.get(typeName);
        ItemChecks.checkKeys(item, path, COMMON_KEYS, typeName, "task", type.keys());

        OptionalInt cpu = item.get("cpu")
                .map(n -> OptionalInt.of(NodeReader.cpuNumber(n, KeyPaths.child(path, "cpu"), cpuCount)))
                .orElse(OptionalInt.empty());
        Optional<String> name = item.get("name").map(n -> taskName(n, KeyPaths.child(path, "name")));
        LocatedMap params = item.only(ItemChecks.names(type.keys()));
        TaskSpec spec = type.validate(params, new ValidationContext(path, cpuCount, cpu));
        if (spec == null) {
            throw new IllegalStateException("task type '" + typeName + "' returned no spec for " + path);
        }
        return new ScenarioTask(typeName, cpu, name, spec, item.location());
    }

    private static String taskName(LocatedNode node, String path) {
        String what = "a task name of 1.." + MAX_TASK_NAME + " characters without spaces";
        String name = NodeReader.text(node, path, what);
        if (name.isEmpty() || name.length() > MAX_TASK_NAME || name.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw NodeReader.expected(node, path, what);
        }
        return name;
    }
}
