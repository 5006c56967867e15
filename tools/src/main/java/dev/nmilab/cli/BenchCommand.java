package dev.nmilab.cli;

import dev.nmilab.asm.AssembledImage;
import dev.nmilab.asm.Assembler;
import dev.nmilab.asm.AssemblyException;
import dev.nmilab.smp.Machine;
import dev.nmilab.stub.StubSession;
import dev.nmilab.unicorn.CountingMode;
import dev.nmilab.unicorn.Protection;
import dev.nmilab.unicorn.Unicorn;
import dev.nmilab.unicorn.X86Reg;
import dev.nmilab.x86.Cpu;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * nmilab bench: the engine's ceiling on a tight loop, the SMP scheduler as a ratio to it, and
 * NMI round trips per second. Wall-clock numbers: this command's output is not deterministic.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure raw Unicorn, the SMP scheduler (1 and 4 CPUs, quanta 1k/10k/100k) and NMI round trips.")
public final class BenchCommand implements Callable<Integer> {
    private static final byte[] TIGHT_LOOP_THEN_HLT = {
        0x48, (byte) 0xff, (byte) 0xc9, // 1: dec %rcx
        0x75, (byte) 0xfb,              //    jnz 1b
        (byte) 0xf4,                    //    hlt
    };

    @Spec
    CommandSpec spec;

    @Option(names = "--instructions", defaultValue = "50000000",
            description = "instructions per measurement, default ${DEFAULT-VALUE}")
    long instructions;

    @Option(names = "--repeat", defaultValue = "5", description = "rounds of all cases (the median is shown)")
    int repeat;

    @Option(names = "--nmis", defaultValue = "200000", description = "NMIs for the round-trip measurement")
    int nmis;

    /** One measured case: a label and what it measures, in instructions (or round trips) per second. */
    private record Case(String label, String unit, boolean relative, Measurement measurement) {
    }

    @Override
    public Integer call() throws Exception {
        if (repeat < 1 || instructions < 1 || nmis < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--repeat, --instructions and --nmis must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("nmilab bench: %d instructions per case, median of %d rounds, %s, %d host CPUs%n", instructions,
                repeat, Runtime.version(), Runtime.getRuntime().availableProcessors());
        AssembledImage spin = assemble("spin.S");
        AssembledImage roundTrip = assemble("nmi-roundtrip.S");
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("raw unicorn tight loop (ceiling)", "M insn/s", false, this::rawUnicorn));
        cases.add(new Case("raw unicorn with its own count", "M insn/s", true, this::unicornCount));
        for (CountingMode mode : List.of(CountingMode.INSTRUCTIONS, CountingMode.BLOCKS)) {
            cases.add(new Case("engine counting " + mode.name().toLowerCase(Locale.ROOT), "M insn/s", true,
                    () -> countedEngine(mode)));
        }
        for (int cpus : new int[] {1, 4}) {
            for (long quantum : new long[] {1_000, 10_000, 100_000}) {
                cases.add(new Case(String.format("scheduler %d CPU%s quantum %6d", cpus, cpus == 1 ? " " : "s",
                        quantum), "M insn/s", true, () -> scheduler(spin, cpus, quantum, CountingMode.BLOCKS)));
            }
        }
        cases.add(new Case("scheduler 1 CPU  quantum  10000 counting instructions", "M insn/s", true,
                () -> scheduler(spin, 1, 10_000, CountingMode.INSTRUCTIONS)));
        cases.add(new Case("NMI round trips (inject, deliver, 20-insn handler, iretq)", "per second per CPU", false,
                () -> nmiRoundTrips(roundTrip)));

        // Rounds of every case in turn, each against the ceiling of its own round: a shared
        // machine's speed drifts by tens of percent over a run, and a ratio taken within one
        // round is what the targets are about.
        for (Case c : cases) {
            c.measurement().run(); // warm-up: JIT and translation caches
        }
        double[][] rates = new double[cases.size()][repeat];
        double[][] ratios = new double[cases.size()][repeat];
        for (int round = 0; round < repeat; round++) {
            double ceiling = 0;
            for (int i = 0; i < cases.size(); i++) {
                rates[i][round] = cases.get(i).measurement().run();
                if (i == 0) {
                    ceiling = rates[i][round];
                }
                ratios[i][round] = rates[i][round] / ceiling;
            }
        }
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            double rate = median(rates[i]);
            if (c.unit().startsWith("M")) {
                out.printf("%-58s %8.1f %s", c.label(), rate / 1e6, c.unit());
            } else {
                out.printf("%-58s %8.0f %s", c.label(), rate, c.unit());
            }
            if (c.relative()) {
                out.printf("  %5.1f%% of ceiling", 100 * median(ratios[i]));
            }
            out.println();
        }
        return ExitCodes.OK;
    }

    @FunctionalInterface
    private interface Measurement {
        double run() throws Exception;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private double rawUnicorn() {
        try (Unicorn engine = Unicorn.openUncounted()) {
            return loopOnce(engine, 0);
        }
    }

    private double unicornCount() {
        try (Unicorn engine = Unicorn.openUncounted()) {
            return loopOnce(engine, instructions + 1);
        }
    }

    private double countedEngine(CountingMode mode) {
        try (Unicorn engine = Unicorn.openX86_64(mode)) {
            return loopOnce(engine, 0);
        }
    }

    private double loopOnce(Unicorn engine, long count) {
        engine.memMap(0x1000, 0x1000, Protection.ALL);
        engine.memWrite(0x1000, TIGHT_LOOP_THEN_HLT);
        long iterations = instructions / 2;
        engine.regWrite(X86Reg.RCX, iterations);
        long start = System.nanoTime();
        engine.emuStart(0x1000, count);
        long elapsed = System.nanoTime() - start;
        return (2.0 * iterations + 1) / (elapsed / 1e9);
    }

    private double scheduler(AssembledImage image, int cpus, long quantum, CountingMode mode) {
        String previous = System.getProperty(CountingMode.PROPERTY);
        System.setProperty(CountingMode.PROPERTY, mode.name().toLowerCase(Locale.ROOT));
        try (Machine machine = new Machine(cpus, 64L << 20)) {
            new StubSession(machine, image);
            machine.scheduler().setQuantum(quantum);
            long start = System.nanoTime();
            var result = machine.scheduler().run(Long.MAX_VALUE, instructions);
            long elapsed = System.nanoTime() - start;
            return result.instructions() / (elapsed / 1e9);
        } finally {
            if (previous == null) {
                System.clearProperty(CountingMode.PROPERTY);
            } else {
                System.setProperty(CountingMode.PROPERTY, previous);
            }
        }
    }

    private double nmiRoundTrips(AssembledImage image) {
        try (Machine machine = new Machine(1, 64L << 20)) {
            new StubSession(machine, image);
            Cpu cpu = machine.cpu(0);
            long spacing = 40; // 20 handler instructions plus 20 of the interrupted loop
            for (int i = 1; i <= nmis; i++) {
                machine.scheduler().afterInstructions(0, i * spacing, () -> cpu.raiseNmi("bench"));
            }
            long start = System.nanoTime();
            machine.scheduler().run(Long.MAX_VALUE, (nmis + 1) * spacing);
            long elapsed = System.nanoTime() - start;
            long delivered = cpu.nmisDelivered();
            if (delivered < nmis) {
                throw new IllegalStateException("only " + delivered + " of " + nmis + " NMIs were delivered");
            }
            return delivered / (elapsed / 1e9);
        }
    }

    private static AssembledImage assemble(String name) throws IOException, AssemblyException {
        try (InputStream in = BenchCommand.class.getResourceAsStream("/dev/nmilab/bench/" + name)) {
            if (in == null) {
                throw new IOException("missing benchmark resource " + name);
            }
            return new Assembler().assemble("bench/" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
