package dev.nmilab.cli;

import dev.nmilab.kernel.profile.KernelProfile;
import dev.nmilab.kernel.profile.KernelProfiles;
import dev.nmilab.run.BuiltinScenarios;
import dev.nmilab.run.NmilabModules;
import dev.nmilab.scenario.ScenarioEventType;
import dev.nmilab.scenario.Scenario;
import dev.nmilab.scenario.ScenarioParser;
import dev.nmilab.scenario.ScenarioTaskType;
import dev.nmilab.scenario.events.CoreEventTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Finding and parsing a scenario given on the command line: a file, or a built-in name. */
final class Scenarios {
    private Scenarios() {
    }

    /** A parser knowing every profile's workloads and event types (the scenario names its profile). */
    static ScenarioParser parser(KernelProfiles profiles) {
        TreeMap<String, ScenarioTaskType> tasks = new TreeMap<>();
        TreeMap<String, ScenarioEventType> events = new TreeMap<>(CoreEventTypes.byName());
        for (KernelProfile profile : profiles.all()) {
            NmilabModules modules = new NmilabModules(profile);
            tasks.putAll(modules.workloads());
            events.putAll(modules.eventHandlers());
        }
        return new ScenarioParser(profiles.names(), events, tasks);
    }

    /** Parse SCENARIO (file path or built-in name); an IllegalArgumentException names what was not found. */
    static Scenario load(ScenarioParser parser, String scenario, List<String> overrides) {
        Path file = Path.of(scenario);
        if (Files.isRegularFile(file)) {
            return parser.parseFile(file, overrides);
        }
        Optional<String> builtin = BuiltinScenarios.yaml(scenario);
        if (builtin.isPresent()) {
            return parser.parseBuiltin(scenario + ".yaml", builtin.get(), overrides);
        }
        throw new IllegalArgumentException(scenario + ": no such scenario file or built-in scenario"
                + " (built-ins: " + String.join(", ", BuiltinScenarios.NAMES) + ")");
    }
}
