/*
 * The local APIC timer interrupt (LOCAL_TIMER_VECTOR 0xec) entry, as
 * arch/x86/include/asm/idtentry.h DEFINE_IDTENTRY_SYSVEC builds it: pt_regs, then the C (Java)
 * handler, which runs the timer's work and acknowledges the APIC.
 */
#include <nmilab.h>
#include <calling.h>
	.text
SYM_CODE_START(asm_sysvec_apic_timer_interrupt)
	pushq	$-1
	PUSH_REGS
	movq	%rsp, %rdi
	call	sysvec_apic_timer_interrupt
	POP_REGS
	addq	$8, %rsp
	iretq
SYM_CODE_END(asm_sysvec_apic_timer_interrupt)
