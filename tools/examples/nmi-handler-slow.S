/*
 * An NMI handler in assembly that takes its time (100,000 instructions, 100 us of virtual time)
 * and claims nothing (NMI_DONE): the NMI then goes on to default_do_nmi's unknown-NMI path.
 * While it runs, NMIs stay blocked on that CPU, so an NMI arriving meanwhile (another CPU's crash
 * stop) is latched. Used by the built-in scenario nmi-in-progress-crash-stop-kdump.
 */
#include <nmilab.h>

	.text
SYM_FUNC_START(nmi_asm_handler)
	movl	$50000, %ecx
1:	dec	%ecx
	jnz	1b
	xorl	%eax, %eax			/* NMI_DONE */
	ret
SYM_FUNC_END(nmi_asm_handler)
