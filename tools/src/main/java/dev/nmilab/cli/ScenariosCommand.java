package dev.nmilab.cli;

import dev.nmilab.kernel.profile.KernelProfiles;
import dev.nmilab.run.NmilabProfiles;
import dev.nmilab.run.BuiltinScenarios;
import dev.nmilab.scenario.Scenario;
import dev.nmilab.scenario.ScenarioParser;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** nmilab scenarios: the built-in scenarios, one line each. */
@Command(name = "scenarios", mixinStandardHelpOptions = true, description = "List the built-in scenarios.")
public final class ScenariosCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ScenarioParser parser = Scenarios.parser(NmilabProfiles.all());
        for (String name : BuiltinScenarios.NAMES) {
            Scenario scenario = Scenarios.load(parser, name, List.of());
            out.printf("%-34s %-13s %s%n", name, scenario.expect().map(Enum::name).orElse("-"),
                    scenario.description());
        }
        for (var suite : new java.util.TreeMap<>(BuiltinScenarios.SUITES).entrySet()) {
            out.printf("%-34s %-13s %s%n", suite.getKey(), "suite", String.join(" ", suite.getValue()));
        }
        return ExitCodes.OK;
    }
}
