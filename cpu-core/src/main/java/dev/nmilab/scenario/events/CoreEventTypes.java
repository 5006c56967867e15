package dev.nmilab.scenario.events;

import dev.nmilab.scenario.ScenarioEventType;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** The event types every nmilab has; plugins add theirs next to these in the runtime's registry. */
public final class CoreEventTypes {

    private CoreEventTypes() {
    }

    public static List<ScenarioEventType> list() {
        return List.of(new NmiEventType(), new IrqEventType(), new IpiEventType(), new SysctlEventType(), new SysrqEventType());
    }

    /** The core types by name, ready for {@code new ScenarioParser(...)}. */
    public static SortedMap<String, ScenarioEventType> byName() {
        TreeMap<String, ScenarioEventType> byName = new TreeMap<>();
        for (ScenarioEventType type : list()) {
            byName.put(type.name(), type);
        }
        return Collections.unmodifiableSortedMap(byName);
    }
}
