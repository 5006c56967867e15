package dev.nmilab.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nmilab.event.ExceptionDelivered;
import dev.nmilab.smp.BootLayout;
import dev.nmilab.smp.Scheduler;
import org.junit.jupiter.api.Test;

/** Maskable external interrupts (SDM vol. 3, 6.8.1): taken while IF=1, held while IF=0. */
class ExternalInterruptTest {
    private static final long RFLAGS_IF = 1L << 9;

    @Test
    void interruptRequestedWhileIfIsSetIsTakenAtTheNextBoundary() {
        String source = """
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
                SYM_CODE_START(asm_common_interrupt)
                	pushfq
                	popq	flags_in_handler(%rip)
                	iretq
                SYM_CODE_END(asm_common_interrupt)
                	.data
                flags_in_handler:	.quad -1
                """;
        try (StubRun run = StubRun.start(source, "irq:0x30@50")) {
            assertEquals(Scheduler.Outcome.ALL_HALTED, run.run(1_000).outcome());
            ExceptionDelivered irq = run.onlyDelivery(0x30);
            assertEquals(run.symbol("incs") + 3 * 49, run.frame(irq)[0]);
            assertNull(irq.errorCode());
            assertEquals(BootLayout.kernelStackTop(0) - 40, irq.frame());
            assertEquals(0, run.data("flags_in_handler") & RFLAGS_IF, "an interrupt gate cleared IF");
        }
    }

    /**
     * An interrupt requested while IF=0 stays pending; STI makes it deliverable after the next
     * instruction (the STI interrupt shadow, SDM vol. 2 STI: "the processor responds to the
     * external maskable interrupts after executing the next instruction"). It must not be lost,
     * and the hlt after it must not halt with it still pending.
     */
    @Test
    void interruptHeldWhileIfIsClearIsTakenAfterStiAndItsShadow() {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	cli
                	mov	$100, %ecx
                1:	dec	%ecx
                	jnz	1b
                	sti
                	nop				/* the interrupt shadow of sti */
                SYM_INNER_LABEL(after_shadow)
                	mov	$2000, %ecx
                2:	dec	%ecx
                	jnz	2b
                	hlt
                SYM_CODE_END(_start)
                SYM_CODE_START(asm_common_interrupt)
                	iretq
                SYM_CODE_END(asm_common_interrupt)
                """;
        try (StubRun run = StubRun.start(source, "irq:0x30@50")) {
            run.run(100_000);
            ExceptionDelivered irq = run.onlyDelivery(0x30);
            assertEquals(run.symbol("after_shadow"), run.frame(irq)[0]);
        }
    }
}
