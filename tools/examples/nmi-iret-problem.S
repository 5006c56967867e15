/*
 * The x86 NMI iret problem (see LWN "The x86 NMI iret problem", 2012).
 *
 * NMIs stay blocked from the delivery of an NMI until the next IRET -- any IRET. Here the NMI
 * handler hits a breakpoint (int3, as a kprobe would); the #BP handler returns with iretq,
 * and that iretq unblocks NMIs while the first NMI is still running. A second NMI, injected
 * right after that iretq (at bp_returned), is delivered at once, on the same IST stack, and
 * its frame lands exactly on top of the first NMI's iret frame. The first NMI's way back to
 * _start is gone: when it finally executes iretq it pops the nested NMI's frame and returns
 * into its own handler, again and again. The CPU never reaches hlt.
 *
 * Run:
 *   ./nmilab asm run tools/examples/nmi-iret-problem.S --inject nmi@100 --inject nmi@bp_returned --trace
 *
 * Expected: a note saying which frame was overwritten (old RIP in _start, new RIP bp_returned),
 * then the instruction budget runs out with CPU 0 looping in asm_exc_nmi: exit status 4.
 */
#include <nmilab.h>

	.text
SYM_CODE_START(_start)
	mov	$1000, %ecx
1:	dec	%ecx			/* the NMI at instruction 100 lands in this loop */
	jnz	1b
	hlt
SYM_CODE_END(_start)

/* Vector 2, on IST2 (the NMI stack), as Linux sets it up. */
SYM_CODE_START(asm_exc_nmi)
	pushq	%rax
	incq	nmi_count(%rip)
	int3				/* a kprobe-style breakpoint inside the NMI handler */
SYM_INNER_LABEL(bp_returned)		/* the #BP iretq returned here: NMIs are unblocked */
	nop
	popq	%rax
	iretq				/* pops whatever frame is at the top of the NMI stack */
SYM_CODE_END(asm_exc_nmi)

/* Vector 3: no IST, runs on the current (NMI) stack, returns with iretq. */
SYM_CODE_START(asm_exc_int3)
	incq	bp_count(%rip)
	iretq
SYM_CODE_END(asm_exc_int3)

	.data
nmi_count:	.quad 0
bp_count:	.quad 0
