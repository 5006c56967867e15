package dev.nmilab.smp;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.memory.KernelLayout;
import dev.nmilab.stub.DefaultIdt;
import dev.nmilab.x86.Cpu;
import dev.nmilab.x86.CpuFailure;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Whatever bytes the guest executes, and whatever is injected meanwhile, the run ends in a
 * scheduler outcome or a clean Java exception: never a crash of the JVM through the engine (which
 * would kill this test's fork). Random code reaches faults, #DF, triple faults, wild jumps, port
 * I/O, privileged instructions and writes over its own IDT.
 */
class RandomCodeTest {
    private static final long TEXT = KernelLayout.KERNEL_TEXT;

    static java.util.stream.IntStream seeds() {
        String only = System.getProperty("randomCode.seed");
        return only != null ? java.util.stream.IntStream.of(Integer.parseInt(only))
                : java.util.stream.IntStream.rangeClosed(1, 50);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("seeds")
    @org.junit.jupiter.api.Timeout(60) // a guard against a scheduler that stops making progress, not a speed check
    void randomCodeWithInjectionsEndsInAnOutcome(int seed) {
        try (Machine machine = new Machine(2, 64L << 20)) {
            loadRandomCode(machine, seed);
            Scheduler.RunResult result;
            try {
                result = machine.scheduler().run(5_000_000, 50_000);
            } catch (CpuFailure failure) {
                assertNotNull(failure.getMessage()); // a clean, named failure is an acceptable end
                return;
            }
            assertNotNull(result.outcome());
            assertTrue(result.instructions() <= 50_000 + 2, "the instruction limit holds: " + result.instructions());
        }
    }

    /**
     * A page of random bytes as the code of both CPUs and as every exception handler, booted, with
     * ten random NMIs, interrupts and machine checks at random instruction counts.
     */
    static void loadRandomCode(Machine machine, int seed) {
        Random random = new Random(seed);
        byte[] code = new byte[4096];
        random.nextBytes(code);
        // handlers are random code too: every vector the default IDT knows lands somewhere in the page
        Map<String, Long> symbols = new TreeMap<>();
        symbols.put("_start", TEXT);
        DefaultIdt.EXCEPTION_HANDLERS.values().forEach(name -> symbols.put(name, TEXT + random.nextInt(4000)));
        symbols.put(DefaultIdt.COMMON_INTERRUPT, TEXT + random.nextInt(4000));
        machine.loadCode(TEXT, code, symbols, Machine.CodeSites.NONE);
        machine.writeIdt(DefaultIdt.handlers(name -> java.util.Optional.ofNullable(symbols.get(name))),
                BootLayout.defaultIst());
        machine.boot(TEXT);
        for (int i = 0; i < 10; i++) {
            Cpu cpu = machine.cpu(random.nextInt(2));
            long at = 1 + random.nextInt(20_000);
            switch (random.nextInt(3)) {
                case 0 -> machine.scheduler().afterInstructions(cpu.index(), at, () -> cpu.raiseNmi("fuzz"));
                case 1 -> machine.scheduler().afterInstructions(cpu.index(), at,
                        () -> cpu.raiseInterrupt(32 + random.nextInt(224)));
                default -> machine.scheduler().afterInstructions(cpu.index(), at, cpu::raiseMachineCheck);
            }
        }
    }

    /**
     * A #PF handler that is itself unmapped re-faults on every fetch: no instruction ever retires.
     * On an IST stack the storm never ends (each delivery starts from the IST top again); on the
     * kernel stack the frames would instead grow down over the GDT and end in a triple fault.
     */
    @org.junit.jupiter.api.Test
    void anExceptionStormEndsWithNoProgressNamingTheCpu() {
        try (Machine machine = new Machine(1, 64L << 20)) {
            byte[] code = {0x48, (byte) 0x8b, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00}; // mov 0x1000, %rax
            machine.loadCode(TEXT, code, Map.of("_start", TEXT), Machine.CodeSites.NONE);
            machine.writeIdt(Map.of(dev.nmilab.x86.Vector.PF, 0x2000L), Map.of(dev.nmilab.x86.Vector.PF,
                    BootLayout.IST_DF));
            machine.boot(TEXT);
            Scheduler.RunResult result = machine.scheduler().run(1_000_000_000L, 1_000_000);
            org.junit.jupiter.api.Assertions.assertEquals(Scheduler.Outcome.NO_PROGRESS, result.outcome());
            assertTrue(result.stopReason().startsWith("CPU 0 made no progress: "
                    + Scheduler.NO_PROGRESS_RUNS + " deliveries in a row"), result.stopReason());
            org.junit.jupiter.api.Assertions.assertEquals(0, result.instructions());
        }
    }
}
