package dev.nmilab.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.util.Modules;
import dev.nmilab.asm.AssemblyException;
import dev.nmilab.event.EventLog;
import dev.nmilab.kernel.KernelParamException;
import dev.nmilab.kernel.cmdline.KernelCommandLine;
import dev.nmilab.kernel.lock.HangDetector;
import dev.nmilab.kernel.profile.KernelModule;
import dev.nmilab.kernel.profile.KernelProfile;
import dev.nmilab.kernel.profile.KernelProfiles;
import dev.nmilab.kernel.runtime.KernelIdentity;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.runtime.ScenarioEvents;
import dev.nmilab.kernel.sysctl.SysctlException;
import dev.nmilab.kernel.sysctl.Sysctls;
import dev.nmilab.kernel.runtime.ScenarioEventHandler;
import dev.nmilab.kernel.workload.Workload;
import dev.nmilab.scenario.EventTrigger;
import dev.nmilab.scenario.Scenario;
import dev.nmilab.scenario.ScenarioTask;
import dev.nmilab.scenario.ScheduledEvent;
import dev.nmilab.scenario.StubSource;
import dev.nmilab.scenario.SysctlSetting;
import dev.nmilab.smp.Machine;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.x86.Cpu;
import dev.nmilab.x86.Vector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one scenario: the profile's kernel on a fresh machine, the scenario's stubs, tasks and
 * timed events, until a verdict; then writes console.log, report.json, trace.json and events.jsonl.
 */
public final class ScenarioRunner {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Input that cannot run (bad sysctl, bad command line, stub assembler error): exit 2. */
    public static final class BadScenarioException extends Exception {
        public BadScenarioException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public record Result(Scenario scenario, Verdicts.Decision decision, Path outDir) {
    }

    private final KernelProfiles profiles;
    private final String version;

    public ScenarioRunner(KernelProfiles profiles, String version) {
        this.profiles = profiles;
        this.version = version;
    }


    public Result run(Scenario scenario, long seed, Path outDir) throws BadScenarioException, IOException {
        KernelProfile profile = profiles.get(scenario.machine().profile()).orElseThrow();
        NmilabModules modules = new NmilabModules(profile);
        Injector injector = modules.injector();
        Map<String, Workload> workloads = modules.workloads();
        Map<String, ScenarioEventHandler> handlers = modules.eventHandlers();
        KernelCommandLine cmdline = commandLine(profile, scenario);
        Sysctls sysctls = sysctls(profile, scenario);
        try (Machine machine = new Machine(scenario.machine().cpus(), scenario.machine().memoryBytes())) {
            EventLog log = new EventLog();
            machine.events().subscribe(log);
            KernelRuntime runtime;
            try {
                runtime = new KernelRuntime(machine, cmdline, sysctls, injector.getInstance(KernelIdentity.class));
            } catch (IllegalArgumentException e) {
                throw new BadScenarioException("machine.cmdline: " + e.getMessage(), e);
            }
            runtime.setOutputDirectory(outDir);
            try {
                modules.subsystems().forEach(runtime::install);
            } catch (IllegalArgumentException e) {
                throw new BadScenarioException("machine.cmdline: " + e.getMessage(), e);
            }
            List<Map.Entry<String, String>> stubs = stubSources(scenario);
            try {
                runtime.loadStubs(stubs);
            } catch (AssemblyException e) {
                throw new BadScenarioException(oneLine(e.getMessage()), e);
            }
            boolean stubEntry = runtime.symbol("_start").isPresent();
            runtime.boot(stubEntry ? Optional.of("_start") : Optional.empty());
            for (ScenarioTask task : scenario.tasks()) {
                workloads.get(task.type()).spawn(runtime, task);
            }
            for (ScheduledEvent event : scenario.events()) {
                schedule(runtime, event, handlers);
            }
            List<HangDetector.Wait>[] hang = new List[1];
            Scheduler scheduler = machine.scheduler();
            scheduler.onWindowEnd(() -> {
                if (hang[0] == null && runtime.services().outcome().ending() == dev.nmilab.kernel.panic.KernelOutcome.Ending.NONE) {
                    runtime.hangDetector().stuck().ifPresent(waits -> {
                        hang[0] = waits;
                        scheduler.stop("hang");
                    });
                }
            });
            Scheduler.RunResult result = scheduler.run(scenario.limits().timeNanos(), scenario.limits().instructions());
            Verdicts.Decision decision = Verdicts.decide(machine, result, runtime.services().outcome(), hang[0]);
            Files.createDirectories(outDir);
            writeAtomically(outDir.resolve("console.log"), runtime.services().printk().consoleText());
            writeAtomically(outDir.resolve("events.jsonl"), log.toJsonLines());
            writeAtomically(outDir.resolve("trace.json"), ChromeTrace.write(machine.cpuCount(), log.events(),
                    "nmilab " + scenario.name()));
            writeAtomically(outDir.resolve("report.json"), report(scenario, seed, profile, machine, result,
                    decision, runtime));
            return new Result(scenario, decision, outDir);
        }
    }

    /**
     * Tool diagnostics as one line: GNU as writes "FILE: Assembler messages:" and then a line per
     * problem, cpp adds source excerpts; keep the first line that reports an error (else the first
     * line) and count the other problem lines.
     */
    static String oneLine(String diagnostics) {
        List<String> lines = diagnostics.lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.endsWith("Assembler messages:")).toList();
        if (lines.isEmpty()) {
            return diagnostics.strip();
        }
        List<String> errors = lines.stream().filter(line -> line.contains("Error:") || line.contains("error:")).toList();
        String first = errors.isEmpty() ? lines.get(0) : errors.get(0);
        int more = Math.max(errors.size() - 1, 0);
        return more == 0 ? first : first + " (and " + more + " more error" + (more == 1 ? ")" : "s)");
    }

    private static KernelCommandLine commandLine(KernelProfile profile, Scenario scenario)
            throws BadScenarioException {
        String line = (profile.defaultCmdline() + " " + scenario.machine().cmdline()).strip();
        try {
            return KernelCommandLine.parse(line);
        } catch (KernelParamException e) {
            throw new BadScenarioException("machine.cmdline: " + e.getMessage(), e);
        }
    }

    private static Sysctls sysctls(KernelProfile profile, Scenario scenario) throws BadScenarioException {
        Sysctls sysctls = Sysctls.linux61();
        profile.defaultSysctls().forEach(sysctls::write);
        for (SysctlSetting setting : scenario.machine().sysctls()) {
            try {
                sysctls.write(setting.name(), setting.value());
            } catch (SysctlException e) {
                throw new BadScenarioException(setting.location().file() + ":" + setting.location().line()
                        + ": machine.sysctls." + setting.name() + ": " + e.getMessage(), e);
            }
        }
        return sysctls;
    }

    private static List<Map.Entry<String, String>> stubSources(Scenario scenario) throws IOException {
        List<Map.Entry<String, String>> stubs = new ArrayList<>();
        for (StubSource source : scenario.stubs()) {
            switch (source) {
                case StubSource.StubFile file -> stubs.add(Map.entry(file.path().getFileName().toString(),
                        Files.readString(file.path())));
                case StubSource.StubResource resource -> stubs.add(Map.entry(resource.name(),
                        BuiltinScenarios.stub(resource.name())));
            }
        }
        return stubs;
    }

    private static void schedule(KernelRuntime runtime, ScheduledEvent event, Map<String, ScenarioEventHandler> handlers)
            throws BadScenarioException {
        Runnable apply = () -> {
            if (!ScenarioEvents.apply(runtime, event.spec())) {
                ScenarioEventHandler handler = handlers.get(event.type());
                if (handler == null) {
                    throw new IllegalStateException("no handler for event type " + event.type());
                }
                handler.apply(runtime, event.spec());
            }
        };
        Scheduler scheduler = runtime.machine().scheduler();
        switch (event.trigger()) {
            case EventTrigger.AtTime at -> scheduler.at(at.nanos(), apply);
            case EventTrigger.AfterInstructions after -> scheduler.afterInstructions(after.cpu(), after.count(), apply);
            case EventTrigger.AtSymbol symbol -> {
                long address = runtime.symbol(symbol.symbol()).orElseThrow(() -> new BadScenarioException(
                        event.location().file() + ":" + event.location().line() + ": symbol: no symbol "
                                + symbol.symbol() + " in the loaded stubs", null));
                scheduler.atAddress(symbol.cpu(), address, symbol.count(), apply);
            }
        }
    }

    private String report(Scenario scenario, long seed, KernelProfile profile, Machine machine,
            Scheduler.RunResult result, Verdicts.Decision decision, KernelRuntime runtime) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("nmilab", version);
        root.put("scenario", scenario.name());
        root.put("profile", profile.name());
        root.put("seed", seed);
        root.put("verdict", decision.verdict().name());
        root.put("expected", scenario.expect().map(Enum::name).orElse(null));
        ObjectNode reason = root.putObject("reason");
        reason.put("summary", decision.reason());
        var outcome = runtime.services().outcome();
        if (outcome.panicCpu() >= 0) {
            reason.put("panic_cpu", outcome.panicCpu());
            reason.put("panic_message", outcome.panicMessage());
            reason.put("panic_time_ns", outcome.panicTimeNs());
        }
        ArrayNode chain = reason.putArray("chain");
        decision.chain().forEach(chain::add);
        ConsoleReport.write(root, runtime.services().printk(), outcome.panicCpu() >= 0 ? outcome.panicTimeNs() : -1);
        root.put("end", result.outcome().name());
        root.put("virtual_time_ns", result.timeNs());
        root.put("instructions", result.instructions());
        ArrayNode cpus = root.putArray("cpus");
        for (Cpu cpu : machine.cpus()) {
            ObjectNode node = cpus.addObject();
            node.put("cpu", cpu.index());
            node.put("state", cpu.state().name());
            node.put("at", cpu.where());
            node.put("instructions", cpu.instructions());
            node.put("unhalted_ns", cpu.unhaltedNs());
            node.put("idle_ns", cpu.idleNs());
            ObjectNode nmi = node.putObject("nmi");
            nmi.put("delivered", cpu.nmisDelivered());
            nmi.put("latched", cpu.nmisLatched());
            nmi.put("dropped", cpu.nmisDropped());
            node.put("irets", cpu.irets());
            for (var subsystem : runtime.subsystems()) {
                Map<String, Long> counters = subsystem.counters(cpu.index());
                if (!counters.isEmpty()) {
                    ObjectNode section = node.putObject(subsystem.name());
                    counters.forEach(section::put);
                }
            }
            ObjectNode exceptions = node.putObject("exceptions");
            for (int vector = 0; vector < 256; vector++) {
                if (cpu.delivered(vector) > 0) {
                    exceptions.put(Vector.name(vector), cpu.delivered(vector));
                }
            }
        }
        return JSON.writeValueAsString(root) + "\n";
    }

    /** Write to a temporary name beside the target, then rename: never a partial file under the final name. */
    static void writeAtomically(Path target, String text) throws IOException {
        Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
