/*
 * The real instructions of nmilab's kernel runtime: exception entries that build a pt_regs
 * frame and call the Java handler (a gate), and the small functions tasks call into.
 * Models arch/x86/entry/entry_64.S idtentry (kernel-mode path) and drivers/misc/lkdtm/bugs.c.
 */
#include <nmilab.h>
#include <calling.h>

	.text

/* idtentry without an error code: orig_ax = -1, pt_regs, call the C (Java) handler, return. */
.macro IDTENTRY_NOERR name handler
SYM_CODE_START(\name)
	pushq	$-1
	PUSH_REGS
	movq	%rsp, %rdi
	call	\handler
	POP_REGS
	addq	$8, %rsp
	iretq
SYM_CODE_END(\name)
.endm

IDTENTRY_NOERR asm_exc_invalid_op exc_invalid_op
IDTENTRY_NOERR asm_exc_int3 exc_int3

/* drivers/misc/lkdtm/bugs.c: lkdtm_BUG() is BUG() at line 78 in 6.1. */
SYM_FUNC_START(lkdtm_BUG)
	BUG_AT("drivers/misc/lkdtm/bugs.c", 78)
	ret
SYM_FUNC_END(lkdtm_BUG)

/* idtentry with an error code (the CPU pushed it): it becomes orig_ax, the handler gets it in rsi. */
.macro IDTENTRY_ERR name handler
SYM_CODE_START(\name)
	PUSH_REGS
	movq	%rsp, %rdi
	movq	15*8(%rsp), %rsi
	call	\handler
	POP_REGS
	addq	$8, %rsp
	iretq
SYM_CODE_END(\name)
.endm

IDTENTRY_ERR asm_exc_page_fault exc_page_fault
