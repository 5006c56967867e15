package dev.nmilab.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.event.CpuEvent;
import dev.nmilab.event.ExceptionDelivered;
import dev.nmilab.event.IretExecuted;
import dev.nmilab.event.NmiDropped;
import dev.nmilab.event.NmiLatched;
import dev.nmilab.event.Note;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.unicorn.X86Reg;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NMI blocking (SDM vol. 3, 6.7.1): from the delivery of an NMI until the next IRET of any kind
 * further NMIs are blocked; the processor holds one and loses the rest.
 */
class NmiBlockingTest {

    @Test
    void nmisArrivingWhileBlockedAreOneLatchedAndTheRestDropped() {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	mov	$300, %ecx
                1:	dec	%ecx
                	jnz	1b
                	mov	nmi_count(%rip), %rbx
                	hlt
                SYM_CODE_END(_start)
                SYM_CODE_START(asm_exc_nmi)
                	incq	nmi_count(%rip)
                	.rept 40			/* instructions 21..61: NMIs are blocked all along */
                	nop
                	.endr
                	iretq
                SYM_CODE_END(asm_exc_nmi)
                	.data
                nmi_count:	.quad 0
                """;
        try (StubRun run = StubRun.start(source, "nmi@20", "nmi@30", "nmi@40", "nmi@50")) {
            assertEquals(Scheduler.Outcome.ALL_HALTED, run.run(10_000).outcome());
            Cpu cpu = run.cpu();
            assertEquals(2, cpu.nmisDelivered(), "the first NMI and the latched one");
            assertEquals(1, cpu.nmisLatched());
            assertEquals(2, cpu.nmisDropped());
            assertEquals(1, run.events(NmiLatched.class).size());
            assertEquals(List.of(1L, 2L), run.events(NmiDropped.class).stream().map(NmiDropped::droppedSoFar).toList());
            assertEquals(2, cpu.reg(X86Reg.RBX), "the handler ran twice");
            assertFalse(cpu.nmiBlocked());
            assertFalse(cpu.nmiLatched());

            // the latched NMI is taken right at the first handler's iretq, back at the interrupted RIP
            List<CpuEvent> events = run.log().events();
            IretExecuted iret = run.events(IretExecuted.class).get(0);
            ExceptionDelivered second = run.deliveries(Vector.NMI).get(1);
            assertEquals(events.indexOf(iret) + 1, events.indexOf(second));
            assertTrue(iret.unblockedNmi());
            assertEquals(iret.to(), second.from());
            assertEquals(iret.timeNs(), second.timeNs());
            assertEquals(1, second.depth());
        }
    }

    @Test
    void iretFromBreakpointInsideNmiHandlerUnblocksNmisAndTheNextNmiOverwritesTheFrame() {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	mov	$1000, %ecx
                1:	dec	%ecx
                	jnz	1b
                	hlt
                SYM_CODE_END(_start)
                SYM_CODE_START(asm_exc_nmi)
                	incq	nmi_count(%rip)
                	int3				/* a kprobe inside the NMI handler */
                SYM_INNER_LABEL(after_nested_iret)
                	nop
                	iretq
                SYM_CODE_END(asm_exc_nmi)
                SYM_CODE_START(asm_exc_int3)
                	iretq				/* any IRET ends NMI blocking */
                SYM_CODE_END(asm_exc_int3)
                	.data
                nmi_count:	.quad 0
                """;
        try (StubRun run = StubRun.start(source, "nmi@30", "nmi@after_nested_iret")) {
            run.run(400);
            assertNestedNmiAfterInnerIret(run, Vector.BP, "asm_exc_int3");
        }
    }

    @Test
    void iretFromPageFaultInsideNmiHandlerUnblocksNmisAndTheNextNmiOverwritesTheFrame() {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	mov	$1000, %ecx
                1:	dec	%ecx
                	jnz	1b
                	hlt
                SYM_CODE_END(_start)
                SYM_CODE_START(asm_exc_nmi)
                	incq	nmi_count(%rip)
                	movabs	$0xffffc90000000000, %rax
                	mov	(%rax), %rax		/* an NMI handler touching vmalloc space */
                SYM_INNER_LABEL(after_nested_iret)
                	nop
                	iretq
                SYM_CODE_END(asm_exc_nmi)
                SYM_CODE_START(asm_exc_page_fault)
                	leaq	after_nested_iret(%rip), %rcx	/* an exception-table fixup */
                	mov	%rcx, 8(%rsp)
                	add	$8, %rsp			/* drop the error code */
                	iretq
                SYM_CODE_END(asm_exc_page_fault)
                	.data
                nmi_count:	.quad 0
                """;
        try (StubRun run = StubRun.start(source, "nmi@30", "nmi@after_nested_iret")) {
            run.run(400);
            assertNestedNmiAfterInnerIret(run, Vector.PF, "asm_exc_page_fault");
        }
    }

    /** NMI, then {@code innerVector} inside it, whose iretq unblocks NMIs; the injected NMI nests at once. */
    private static void assertNestedNmiAfterInnerIret(StubRun run, int innerVector, String innerHandler) {
        List<ExceptionDelivered> nmis = run.deliveries(Vector.NMI);
        ExceptionDelivered inner = run.deliveries(innerVector).get(0);
        IretExecuted innerIret = run.events(IretExecuted.class).get(0);
        assertEquals(2, inner.depth(), Vector.name(innerVector) + " nests in the NMI handler");
        assertTrue(innerIret.at().startsWith(innerHandler), innerIret.at());
        assertTrue(innerIret.unblockedNmi(), "the inner iretq ended NMI blocking");
        assertEquals(List.of(), run.events(NmiLatched.class), "the second NMI was not held back");

        ExceptionDelivered nested = nmis.get(1);
        assertEquals("after_nested_iret", nested.from());
        assertEquals(2, nested.depth(), "delivered inside the still-running first NMI");
        assertEquals(innerIret.timeNs(), nested.timeNs(), "at once: no instruction retired in between");
        assertEquals(nmis.get(0).frame(), nested.frame(), "same IST2 slot as the first NMI's frame");

        List<Note> notes = run.events(Note.class);
        assertEquals(1, notes.size(), notes::toString);
        Note note = assertInstanceOf(Note.class, notes.get(0));
        assertEquals("frame_overwritten", note.kind());
        assertTrue(note.text().contains(String.format("NMI frame at 0x%x", nested.frame())), note.text());
        // said when the damage takes effect: the first NMI's own iretq pops the overwritten slot
        List<CpuEvent> events = run.log().events();
        IretExecuted popping = assertInstanceOf(IretExecuted.class, events.get(events.indexOf(note) + 1));
        assertEquals(nested.frame(), popping.frame(), "the iretq that pops the overwritten frame");
        assertTrue(events.indexOf(nested) < events.indexOf(note), "after the nested delivery");
        assertEquals(run.symbol("after_nested_iret"), run.frame(nested)[0], "the first NMI's return RIP is gone");
    }
}
