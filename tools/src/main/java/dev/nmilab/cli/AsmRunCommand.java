package dev.nmilab.cli;

import dev.nmilab.asm.AssembledImage;
import dev.nmilab.asm.Assembler;
import dev.nmilab.asm.AssemblyException;
import dev.nmilab.event.CpuEvent;
import dev.nmilab.event.EventLog;
import dev.nmilab.event.Note;
import dev.nmilab.smp.Machine;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.stub.Injection;
import dev.nmilab.stub.StubSession;
import dev.nmilab.stub.TraceFormat;
import dev.nmilab.unicorn.EngineLimitException;
import dev.nmilab.unicorn.X86Reg;
import dev.nmilab.x86.Cpu;
import dev.nmilab.x86.CpuFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** nmilab asm run: assemble a stub, run it on N CPUs with injected events, print the trace and registers. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Assemble FILE.S, run every CPU from _start, inject events, print the trace and final registers.",
            "Exit 0 when every CPU reached hlt; 2 bad input or assembler error; 4 instruction budget exhausted;",
            "5 a CPU shut down (triple fault); 3 internal error."})
public final class AsmRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE.S", description = "the stub (AT&T syntax, C preprocessor, <nmilab.h> and <calling.h>)")
    Path source;

    @Option(names = "--cpus", defaultValue = "1", description = "number of CPUs (1..64), default ${DEFAULT-VALUE}")
    int cpus;

    @Option(names = "--memory-mib", defaultValue = "64", description = "memory in MiB, default ${DEFAULT-VALUE}")
    long memoryMib;

    @Option(names = "--inject", paramLabel = "KIND[:VECTOR]@COUNT|SYMBOL[:cpuN]",
            description = "nmi@100, nmi@bp_returned, irq:0x30@500:cpu1, mce@label (repeatable)")
    List<String> injections = new ArrayList<>();

    @Option(names = "--max-insns", defaultValue = "1000000",
            description = "instruction budget over all CPUs, default ${DEFAULT-VALUE}")
    long maxInstructions;

    @Option(names = "--quantum", defaultValue = "10000", description = "scheduler quantum in instructions")
    long quantum;

    @Option(names = "--trace", description = "print every event (deliveries, irets, latches, gate calls)")
    boolean trace;

    @Option(names = "--events", paramLabel = "FILE", description = "also write the events as JSON lines to FILE")
    Path eventsFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (cpus < 1 || cpus > 64) {
            err.println("nmilab: --cpus must be 1..64, got " + cpus);
            return ExitCodes.BAD_INPUT;
        }
        List<Injection> parsed = new ArrayList<>();
        for (String text : injections) {
            try {
                parsed.add(Injection.parse(text));
            } catch (IllegalArgumentException e) {
                err.println("nmilab: --inject: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
        }
        AssembledImage image;
        try {
            image = new Assembler().assemble(source);
        } catch (AssemblyException e) {
            err.println(e.getMessage().strip());
            return ExitCodes.BAD_INPUT;
        }
        try (Machine machine = new Machine(cpus, memoryMib << 20)) {
            machine.scheduler().setQuantum(quantum);
            EventLog log = new EventLog();
            machine.events().subscribe(log);
            machine.events().subscribe(event -> print(out, event));
            StubSession session;
            try {
                session = new StubSession(machine, image);
                for (Injection injection : parsed) {
                    session.inject(injection);
                }
            } catch (IllegalArgumentException e) {
                err.println("nmilab: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            Scheduler.RunResult result;
            try {
                result = machine.scheduler().run(Long.MAX_VALUE, maxInstructions);
            } catch (CpuFailure e) {
                out.flush();
                err.println("nmilab: " + e.getMessage());
                // the stub asked for what the engine cannot do safely: the input's fault, not nmilab's
                return e.getCause() instanceof EngineLimitException ? ExitCodes.BAD_INPUT : ExitCodes.INTERNAL_ERROR;
            }
            printRegisters(out, machine);
            if (eventsFile != null) {
                try {
                    writeAtomically(eventsFile, log.toJsonLines());
                } catch (IOException e) {
                    err.println("nmilab: cannot write " + eventsFile + ": " + e.getMessage());
                    return ExitCodes.BAD_INPUT;
                }
            }
            return summarize(out, machine, result);
        }
    }

    private void print(PrintWriter out, CpuEvent event) {
        if (trace || event instanceof Note) {
            out.println(TraceFormat.line(event));
        }
    }

    private static void printRegisters(PrintWriter out, Machine machine) {
        for (Cpu cpu : machine.cpus()) {
            out.printf("cpu%d %s at %s after %d instructions%n", cpu.index(), cpu.state(), cpu.where(),
                    cpu.instructions());
            out.printf("  rax=%016x rbx=%016x rcx=%016x rdx=%016x%n", cpu.reg(X86Reg.RAX), cpu.reg(X86Reg.RBX),
                    cpu.reg(X86Reg.RCX), cpu.reg(X86Reg.RDX));
            out.printf("  rsp=%016x rbp=%016x rflags=%016x%n", cpu.reg(X86Reg.RSP), cpu.reg(X86Reg.RBP),
                    cpu.reg(X86Reg.RFLAGS));
            out.printf("  NMI: delivered %d, latched %d, dropped %d; iret %d%n", cpu.nmisDelivered(),
                    cpu.nmisLatched(), cpu.nmisDropped(), cpu.irets());
        }
    }

    private int summarize(PrintWriter out, Machine machine, Scheduler.RunResult result) {
        return switch (result.outcome()) {
            case ALL_HALTED -> {
                out.println("result: every CPU reached hlt (" + result.instructions() + " instructions)");
                yield ExitCodes.OK;
            }
            case SHUTDOWN -> {
                Cpu down = machine.cpus().stream().filter(c -> c.state() == Cpu.State.SHUTDOWN).findFirst().orElseThrow();
                out.println("result: CPU " + down.index() + " shut down: " + down.shutdownReason()
                        + " (the machine resets)");
                yield ExitCodes.SHUTDOWN;
            }
            case NO_PROGRESS -> {
                out.println("result: " + result.stopReason());
                yield ExitCodes.BUDGET_EXHAUSTED;
            }
            case INSTRUCTION_LIMIT -> {
                StringBuilder where = new StringBuilder();
                for (Cpu cpu : machine.cpus()) {
                    if (cpu.state() == Cpu.State.RUNNING) {
                        where.append(where.isEmpty() ? "" : ", ").append("cpu").append(cpu.index()).append(" at ")
                                .append(cpu.where());
                    }
                }
                out.println("result: instruction budget of " + maxInstructions + " exhausted before every CPU halted ("
                        + where + ")");
                yield ExitCodes.BUDGET_EXHAUSTED;
            }
            default -> {
                out.println("result: run ended: " + result.outcome());
                yield ExitCodes.INTERNAL_ERROR;
            }
        };
    }

    static void writeAtomically(Path target, String text) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(temporary, text);
            Files.move(temporary, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
