/*
 * Benchmark workload: a loop interrupted by NMIs whose handler is 20 instructions
 * including its iretq (18 nops, the counter increment, iretq).
 */
#include <nmilab.h>
	.text
SYM_CODE_START(_start)
1:	dec	%rcx
	jmp	1b
SYM_CODE_END(_start)

SYM_CODE_START(asm_exc_nmi)
	incq	nmi_count(%rip)
	.rept 18
	nop
	.endr
	iretq
SYM_CODE_END(asm_exc_nmi)

	.data
nmi_count:	.quad 0
