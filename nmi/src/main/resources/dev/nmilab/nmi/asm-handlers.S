/*
 * NMI handlers written in assembly run as instructions, so they can take a #PF or a #BP like
 * real handler code. do_nmi enters NMI context and, when any are registered, continues here;
 * each is called with the pt_regs pointer and returns how many events it handled (NMI_DONE 0,
 * NMI_HANDLED 1); do_nmi_finish then runs default_do_nmi with that count on the NMI_LOCAL side
 * and leaves NMI context. The return goes straight back to the entry stub.
 */
#include <nmilab.h>

#define NMI_ASM_HANDLERS_MAX 8

	.text
SYM_FUNC_START(nmi_asm_dispatch)
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	subq	$8, %rsp			/* keep calls 16-byte aligned */
	movq	%rdi, %r12			/* pt_regs */
	movq	%rsi, %r13			/* reason byte */
	xorl	%ebx, %ebx			/* handled so far */
	leaq	nmi_asm_handler_table(%rip), %r14
1:	movq	(%r14), %rax
	testq	%rax, %rax
	jz	2f
	movq	%r12, %rdi
	call	*%rax
	addq	%rax, %rbx
	addq	$8, %r14
	jmp	1b
2:	movq	%r12, %rdi
	movq	%r13, %rsi
	movq	%rbx, %rdx
	call	do_nmi_finish
	addq	$8, %rsp
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	ret
SYM_FUNC_END(nmi_asm_dispatch)

	.data
	.globl	nmi_asm_handler_table
	.p2align 3
nmi_asm_handler_table:				/* zero-terminated */
	.fill	NMI_ASM_HANDLERS_MAX + 1, 8, 0
