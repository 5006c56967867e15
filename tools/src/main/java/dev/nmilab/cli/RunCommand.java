package dev.nmilab.cli;

import dev.nmilab.kernel.profile.KernelProfiles;
import dev.nmilab.run.NmilabProfiles;
import dev.nmilab.run.ScenarioRunner;
import dev.nmilab.scenario.Scenario;
import dev.nmilab.scenario.ScenarioException;
import dev.nmilab.x86.CpuFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** nmilab run: one scenario to a verdict and an output directory. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a scenario (a YAML file or a built-in name) to its verdict.",
            "Writes console.log, report.json, trace.json (Perfetto / chrome://tracing) and events.jsonl to DIR.",
            "Exit 0 when the verdict equals the scenario's expect (or it has none), 1 when it differs,",
            "2 for bad input, 3 for an internal error."})
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SCENARIO", arity = "1..*", description = "a scenario file, a built-in name, or a "
            + "built-in suite (talk-matrix); several run one after the other, each into DIR/<name>")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "0", description = "seed recorded in the report (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default out/<scenario name>; "
            + "with several scenarios, the directory their own directories go in, default out)")
    Path out;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a scenario key, e.g. machine.cpus=4,"
            + " machine.sysctls.kernel.panic=10, machine.cmdline+=nmi_watchdog=0, expect=HANG (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> names = new ArrayList<>();
        for (String name : scenarios) {
            names.addAll(dev.nmilab.run.BuiltinScenarios.SUITES.getOrDefault(name, List.of(name)));
        }
        int worst = ExitCodes.OK;
        for (String name : names) {
            Path dir = names.size() == 1 ? out : (out != null ? out : Path.of("out"));
            int code = runOne(name, dir, names.size() > 1);
            if (code == ExitCodes.BAD_INPUT || code == ExitCodes.INTERNAL_ERROR) {
                return code; // stop at the first input the rest may share
            }
            worst = Math.max(worst, code);
        }
        return worst;
    }

    private int runOne(String scenario, Path outOption, boolean inParent) {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KernelProfiles profiles = NmilabProfiles.all();
        Scenario parsed;
        try {
            parsed = Scenarios.load(Scenarios.parser(profiles), scenario, overrides);
        } catch (ScenarioException | IllegalArgumentException e) {
            err.println("nmilab: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        Path dir = inParent ? outOption.resolve(parsed.name()) : outOption != null ? outOption : Path.of("out", parsed.name());
        ScenarioRunner.Result result;
        try {
            result = new ScenarioRunner(profiles, Version.NMILAB).run(parsed, seed, dir);
        } catch (ScenarioRunner.BadScenarioException e) {
            err.println("nmilab: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (IOException e) {
            err.println("nmilab: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (CpuFailure e) {
            err.println("nmilab: internal error: " + e.getMessage());
            return ExitCodes.INTERNAL_ERROR;
        }
        var decision = result.decision();
        PrintWriter out = stdout;
        out.println("scenario: " + parsed.name() + " (" + parsed.machine().profile() + ", "
                + parsed.machine().cpus() + " CPUs)");
        out.println("reason: " + decision.reason());
        decision.chain().forEach(step -> out.println("  " + step));
        out.println("output: " + dir);
        String expected = parsed.expect().map(Enum::name).orElse("none");
        out.println("verdict: " + decision.verdict() + " (expected " + expected + ")");
        return parsed.expect().isEmpty() || parsed.expect().get() == decision.verdict()
                ? ExitCodes.OK : ExitCodes.VERDICT_DIFFERS;
    }
}
