/*
 * The same NMI handler without the breakpoint: the second NMI waits.
 *
 * The second NMI is injected at the same place (bp_returned), but nothing inside the handler
 * executed an iret, so NMIs are still blocked: the processor latches the NMI and delivers it
 * right after the first NMI's own iretq, back in _start. Each NMI runs once, nothing is
 * overwritten, and the CPU reaches hlt.
 *
 * Run:
 *   ./nmilab asm run tools/examples/nmi-latched.S --inject nmi@100 --inject nmi@bp_returned --trace
 *
 * Expected: "nmi_latched" at bp_returned, the second NMI delivered from the first one's iretq
 * (from _start+...), nmi_count = 2, exit status 0.
 */
#include <nmilab.h>

	.text
SYM_CODE_START(_start)
	mov	$1000, %ecx
1:	dec	%ecx
	jnz	1b
	mov	nmi_count(%rip), %rbx	/* final registers show RBX = 2 */
	hlt
SYM_CODE_END(_start)

SYM_CODE_START(asm_exc_nmi)
	pushq	%rax
	incq	nmi_count(%rip)
	nop				/* where the breakpoint was */
SYM_INNER_LABEL(bp_returned)
	nop
	popq	%rax
	iretq
SYM_CODE_END(asm_exc_nmi)

	.data
nmi_count:	.quad 0
