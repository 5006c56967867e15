package dev.nmilab.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.event.CpuHalted;
import dev.nmilab.event.IretExecuted;
import dev.nmilab.event.Note;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.unicorn.X86Reg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two examples shipped in tools/examples, run with the injections their header comments give. */
class ExampleStubsTest {
    private static final Path EXAMPLES = Path.of("../tools/examples");

    private static String example(String name) throws IOException {
        return Files.readString(EXAMPLES.resolve(name));
    }

    @Test
    void iretProblemOverwritesTheFirstNmiFrameAndLoopsForever() throws IOException {
        try (StubRun run = StubRun.start(example("nmi-iret-problem.S"), "nmi@100", "nmi@bp_returned")) {
            Scheduler.RunResult result = run.run(50_000);
            assertEquals(Scheduler.Outcome.INSTRUCTION_LIMIT, result.outcome());
            List<Note> overwritten = run.events(Note.class).stream()
                    .filter(n -> n.kind().equals("frame_overwritten")).toList();
            assertEquals(1, overwritten.size());
            Cpu cpu = run.cpu();
            assertEquals(Cpu.State.RUNNING, cpu.state());
            assertTrue(cpu.where().startsWith("bp_returned"), cpu.where());
            List<IretExecuted> irets = run.events(IretExecuted.class);
            assertEquals("bp_returned", irets.get(irets.size() - 1).to(), "the last iretq went back into the handler");
            assertEquals(List.of(), run.events(CpuHalted.class), "_start's hlt is never reached");
        }
    }

    @Test
    void latchedNmiRunsAfterTheFirstHandlersIretAndBothComplete() throws IOException {
        try (StubRun run = StubRun.start(example("nmi-latched.S"), "nmi@100", "nmi@bp_returned")) {
            assertEquals(Scheduler.Outcome.ALL_HALTED, run.run(1_000_000).outcome());
            Cpu cpu = run.cpu();
            assertEquals(2, cpu.reg(X86Reg.RBX), "nmi_count");
            assertEquals(1, cpu.nmisLatched());
            assertEquals(0, cpu.nmisDropped());
            assertEquals(2, cpu.nmisDelivered());
            assertEquals(List.of(), run.events(Note.class), "nothing overwritten");
        }
    }
}
