package dev.nmilab.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nmilab.event.ExceptionDelivered;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.unicorn.X86Reg;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Virtual time is retired instructions, so the count must be exact: whatever the quantum (and so
 * wherever the engine's runs are cut), and whatever ends a run (hlt, a fault, an iretq site).
 */
class InstructionCountTest {

    /** 1 + 10*2 (loop) + call + nop + ret + push + pop + hlt = 27; hlt retires like any instruction. */
    private static final String KNOWN_COUNT = """
            #include <nmilab.h>
            	.text
            SYM_CODE_START(_start)
            	mov	$10, %ecx
            1:	dec	%ecx
            	jnz	1b
            	call	f
            	push	%rax
            	pop	%rax
            SYM_INNER_LABEL(last)
            	hlt
            SYM_CODE_END(_start)
            SYM_FUNC_START(f)
            	nop
            	ret
            SYM_FUNC_END(f)
            """;

    @ParameterizedTest(name = "quantum {0}")
    @ValueSource(longs = {1, 2, 3, 7, 26, 27, 10_000})
    void countsEveryRetiredInstructionWhateverTheQuantum(long quantum) {
        try (StubRun run = StubRun.start(KNOWN_COUNT)) {
            run.machine().scheduler().setQuantum(quantum);
            Scheduler.RunResult result = run.run(1_000);
            assertEquals(Scheduler.Outcome.ALL_HALTED, result.outcome());
            assertEquals(27, run.cpu().instructions());
            assertEquals(27, result.instructions());
            assertEquals(run.symbol("last") + 1, run.cpu().rip(), "halted after the hlt");
        }
    }

    /** xor, then 100 incs of 3 bytes each: instruction k (k >= 1) starts at incs + 3*(k-1). */
    private static final String INCS = """
            #include <nmilab.h>
            	.text
            SYM_CODE_START(_start)
            	xor	%eax, %eax
            SYM_INNER_LABEL(incs)
            	.rept 100
            	inc	%rax
            	.endr
            	hlt
            SYM_CODE_END(_start)
            SYM_CODE_START(asm_exc_nmi)
            	mov	%rax, rax_at_nmi(%rip)
            	iretq
            SYM_CODE_END(asm_exc_nmi)
            	.data
            rax_at_nmi:	.quad -1
            """;

    @ParameterizedTest(name = "nmi@{0}, quantum {1}")
    @CsvSource({"1, 10000", "2, 10000", "37, 10000", "37, 1", "37, 5", "100, 10000", "101, 10000", "101, 3"})
    void nmiInjectedAtCountNIsDeliveredAfterExactlyNInstructions(long n, long quantum) {
        try (StubRun run = StubRun.start(INCS, "nmi@" + n)) {
            run.machine().scheduler().setQuantum(quantum);
            assertEquals(Scheduler.Outcome.ALL_HALTED, run.run(1_000).outcome());
            ExceptionDelivered nmi = run.onlyDelivery(Vector.NMI);
            assertEquals(run.symbol("incs") + 3 * (n - 1), run.frame(nmi)[0], "pushed RIP");
            assertEquals(n - 1, run.data("rax_at_nmi"), "incs retired before the NMI");
            assertEquals(n, nmi.timeNs(), "one nanosecond per retired instruction");
            assertEquals(1 + 100 + 1 + 2, run.cpu().instructions(), "xor, incs, hlt, handler mov and iretq");
        }
    }

    @Test
    void nmiInjectedAtZeroIsDeliveredBeforeTheFirstInstruction() {
        try (StubRun run = StubRun.start(INCS, "nmi@0")) {
            run.run(1_000);
            assertEquals(run.symbol("_start"), run.frame(run.onlyDelivery(Vector.NMI))[0]);
        }
    }

    /** A fault's instruction does not retire (it restarts after the handler); a trap's does. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ud2 faults        | ud2              | asm_exc_invalid_op     | hlt   | 2",
        "unmapped read     | mov (%rax), %rbx | asm_exc_page_fault     | hlt   | 2",
        "int3 traps        | int3             | asm_exc_int3           | iretq | 4",
        "int $0x30 traps   | int $0x30        | asm_common_interrupt   | iretq | 4",
    })
    void faultingInstructionsDoNotRetireTrappingOnesDo(String what, String instruction, String handler,
            String handlerBody, long expected) {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	nop
                	%s
                	hlt
                SYM_CODE_END(_start)
                SYM_CODE_START(%s)
                	%s
                SYM_CODE_END(%s)
                """.formatted(instruction, handler, handlerBody, handler);
        try (StubRun run = StubRun.start(source)) {
            run.cpu().setReg(X86Reg.RAX, 0xffffc90000000000L);
            assertEquals(Scheduler.Outcome.ALL_HALTED, run.run(1_000).outcome());
            assertEquals(expected, run.cpu().instructions());
        }
    }

    /** Cutting runs at every instruction (quantum 1) must not change a single event, iretq and hlt sites included. */
    @Test
    void eventLogIsTheSameForEveryQuantum() throws Exception {
        String latched = Files.readString(Path.of("../tools/examples/nmi-latched.S"));
        String reference = null;
        for (long quantum : new long[] {10_000, 1, 2, 3, 100, 103}) {
            try (StubRun run = StubRun.start(latched, "nmi@100", "nmi@bp_returned")) {
                run.machine().scheduler().setQuantum(quantum);
                run.run(100_000);
                String log = run.log().toJsonLines();
                if (reference == null) {
                    reference = log;
                } else {
                    assertEquals(reference, log, "quantum " + quantum);
                }
            }
        }
    }
}
