package dev.nmilab.cli;

import dev.nmilab.asm.AssembledImage;
import dev.nmilab.asm.Assembler;
import dev.nmilab.asm.AssemblyException;
import dev.nmilab.smp.Machine;
import dev.nmilab.stub.StubSession;
import dev.nmilab.unicorn.Protection;
import dev.nmilab.unicorn.Unicorn;
import dev.nmilab.unicorn.X86Reg;
import dev.nmilab.x86.Cpu;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    @Option(names = "--repeat", defaultValue = "5", description = "measurements per case (the median is shown)")
    int repeat;

    @Option(names = "--nmis", defaultValue = "200000", description = "NMIs for the round-trip measurement")
    int nmis;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("nmilab bench: %d instructions per case, median of %d, %s, %d host CPUs%n", instructions, repeat,
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        double ceiling = median(this::rawUnicorn);
        out.printf("raw unicorn tight loop (ceiling)      %8.1f M insn/s%n", ceiling / 1e6);
        double unicornCount = median(this::unicornCount);
        out.printf("raw unicorn with its own count        %8.1f M insn/s  %5.1f%% of ceiling%n", unicornCount / 1e6,
                100 * unicornCount / ceiling);
        double counted = median(this::countedEngine);
        out.printf("engine with instruction counter       %8.1f M insn/s  %5.1f%% of ceiling%n", counted / 1e6,
                100 * counted / ceiling);
        AssembledImage spin = assemble("spin.S");
        for (int cpus : new int[] {1, 4}) {
            for (long quantum : new long[] {1_000, 10_000, 100_000}) {
                double rate = median(() -> scheduler(spin, cpus, quantum));
                out.printf("scheduler %d CPU%s quantum %6d        %8.1f M insn/s  %5.1f%% of ceiling%n", cpus,
                        cpus == 1 ? " " : "s", quantum, rate / 1e6, 100 * rate / ceiling);
            }
        }
        AssembledImage roundTrip = assemble("nmi-roundtrip.S");
        double trips = median(() -> nmiRoundTrips(roundTrip));
        out.printf("NMI round trips (inject, deliver, 20-insn handler, iretq) %8.0f per second per CPU%n", trips);
        return ExitCodes.OK;
    }

    @FunctionalInterface
    private interface Measurement {
        double run() throws Exception;
    }

    private double median(Measurement measurement) throws Exception {
        measurement.run(); // warm-up: JIT and translation caches
        double[] rates = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            rates[i] = measurement.run();
        }
        Arrays.sort(rates);
        return rates[repeat / 2];
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

    private double countedEngine() {
        try (Unicorn engine = Unicorn.openX86_64()) {
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

    private double scheduler(AssembledImage image, int cpus, long quantum) {
        try (Machine machine = new Machine(cpus, 64L << 20)) {
            new StubSession(machine, image);
            machine.scheduler().setQuantum(quantum);
            long start = System.nanoTime();
            var result = machine.scheduler().run(Long.MAX_VALUE, instructions);
            long elapsed = System.nanoTime() - start;
            return result.instructions() / (elapsed / 1e9);
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
