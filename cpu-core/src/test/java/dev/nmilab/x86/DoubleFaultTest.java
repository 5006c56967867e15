package dev.nmilab.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.event.CpuShutdown;
import dev.nmilab.event.ExceptionDelivered;
import dev.nmilab.smp.BootLayout;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.unicorn.X86Reg;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Faults during delivery (SDM vol. 3, 6.15 interrupt 8, Tables 6-4 and 6-5) and the triple fault. */
class DoubleFaultTest {
    private static final String DOUBLE_FAULT_HANDLER = """
            SYM_CODE_START(asm_exc_double_fault)
            	mov	%rsp, handler_rsp(%rip)
            	hlt
            SYM_CODE_END(asm_exc_double_fault)
            	.data
            handler_rsp:	.quad 0
            """;

    /** #GP from loading a selector beyond the GDT limit; its gate is present=0, so delivering it raises #NP. */
    @Test
    void segmentNotPresentWhileDeliveringGeneralProtectionBecomesDoubleFaultOnIst1() {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	mov	$0x1234, %eax
                	mov	%ax, %ds
                	hlt
                SYM_CODE_END(_start)
                SYM_CODE_START(asm_exc_general_protection)
                	hlt
                SYM_CODE_END(asm_exc_general_protection)
                SYM_CODE_START(asm_exc_segment_not_present)
                	hlt
                SYM_CODE_END(asm_exc_segment_not_present)
                """ + DOUBLE_FAULT_HANDLER;
        try (StubRun run = StubRun.start(source)) {
            run.setGate(Vector.GP, new IdtGate(run.symbol("asm_exc_general_protection"), DescriptorTables.KERNEL_CS, 0,
                    IdtGate.TYPE_INTERRUPT, 0, false));
            run.run(1_000);
            assertDoubleFaultDelivered(run);
            assertEquals(List.of(), run.deliveries(Vector.GP));
            assertEquals(List.of(), run.deliveries(Vector.NP), "contributory then contributory: #DF, not #NP");
        }
    }

    /** An all-zero IDT entry is not a gate at all: #GP (SDM vol. 2, INT n pseudocode), contributory like #DE. */
    @Test
    void faultWhileDeliveringDivideErrorThroughAnEmptyIdtEntryBecomesDoubleFault() {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	xor	%ecx, %ecx
                	div	%rcx
                	hlt
                SYM_CODE_END(_start)
                """ + DOUBLE_FAULT_HANDLER;
        try (StubRun run = StubRun.start(source)) {
            run.run(1_000);
            assertDoubleFaultDelivered(run);
            assertEquals(List.of(), run.deliveries(Vector.DE));
        }
    }

    /** Page fault while delivering a page fault (the stack is unmapped) is #DF: Table 6-5, kernel stack overflow. */
    @Test
    void pageFaultWhilePushingAPageFaultFrameBecomesDoubleFault() {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	movabs	$0xffffc90000000000, %rsp	/* a stack with nothing mapped below it */
                	movabs	$0xffffc90000100000, %rax
                	mov	(%rax), %rbx
                	hlt
                SYM_CODE_END(_start)
                SYM_CODE_START(asm_exc_page_fault)
                	hlt
                SYM_CODE_END(asm_exc_page_fault)
                """ + DOUBLE_FAULT_HANDLER;
        try (StubRun run = StubRun.start(source)) {
            run.run(1_000);
            assertDoubleFaultDelivered(run);
            assertEquals(List.of(), run.deliveries(Vector.PF));
            assertEquals(0xffffc90000000000L - 8, run.cpu().reg(X86Reg.CR2), "CR2 names the stack push that faulted");
        }
    }

    /** A benign event (NMI) whose delivery page-faults is followed by an ordinary #PF (Table 6-5: serial). */
    @Test
    void pageFaultWhileDeliveringAnNmiIsAnOrdinaryPageFault() {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	.rept 20
                	nop
                	.endr
                	hlt
                SYM_CODE_END(_start)
                SYM_CODE_START(asm_exc_nmi)
                	iretq
                SYM_CODE_END(asm_exc_nmi)
                SYM_CODE_START(asm_exc_page_fault)
                	hlt
                SYM_CODE_END(asm_exc_page_fault)
                """ + DOUBLE_FAULT_HANDLER;
        long unmappedIst = 0xffffc90000000000L;
        try (StubRun run = StubRun.start(source, "nmi@5")) {
            run.setIst(0, BootLayout.IST_NMI, unmappedIst);
            run.run(1_000);
            ExceptionDelivered pf = run.onlyDelivery(Vector.PF);
            assertEquals(List.of(), run.deliveries(Vector.DF));
            assertEquals(List.of(), run.deliveries(Vector.NMI));
            assertEquals(2L, pf.errorCode(), "a write (the frame push) to a not-present page");
            assertEquals(unmappedIst - 8, run.cpu().reg(X86Reg.CR2));
            assertEquals(run.symbol("_start") + 5, run.frame(pf)[0], "the #PF frame holds the interrupted RIP");
        }
    }

    @Test
    void withoutADoubleFaultHandlerTheCpuTripleFaultsAndShutsDown() {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	xor	%ecx, %ecx
                	div	%rcx
                	hlt
                SYM_CODE_END(_start)
                """;
        try (StubRun run = StubRun.start(source)) {
            Scheduler.RunResult result = run.run(1_000);
            assertEquals(Scheduler.Outcome.SHUTDOWN, result.outcome());
            assertEquals(Cpu.State.SHUTDOWN, run.cpu().state());
            assertEquals("triple fault", run.cpu().shutdownReason());
            CpuShutdown shutdown = run.events(CpuShutdown.class).get(0);
            assertEquals("triple fault", shutdown.reason());
            List<String> chain = shutdown.chain();
            assertEquals(2, chain.size(), chain::toString);
            assertTrue(chain.get(0).startsWith("#DE delivery faulted"), chain.get(0));
            assertTrue(chain.get(1).startsWith("#DF delivery faulted"), chain.get(1));
            assertEquals(List.of(), run.events(ExceptionDelivered.class), "nothing reached a handler");
        }
    }

    private static void assertDoubleFaultDelivered(StubRun run) {
        ExceptionDelivered df = run.onlyDelivery(Vector.DF);
        assertEquals(BootLayout.IST_DF, df.ist());
        assertEquals(BootLayout.istTop(0, BootLayout.IST_DF) - 40, df.frame());
        assertEquals(0L, df.errorCode(), "#DF always pushes error code 0");
        assertEquals(0L, run.pushedErrorCode(df));
        assertEquals(df.frame() - 8, run.data("handler_rsp"));
        assertEquals(Cpu.State.HALTED, run.cpu().state());
    }
}
