/*
 * calling.h - the pt_regs frame and the macros that build and unwind it,
 * modelled on Linux arch/x86/entry/calling.h (the layout is the one of
 * arch/x86/include/uapi/asm/ptrace-abi.h). Written for nmilab; the macro
 * names and the frame layout are Linux's so that entry stubs port as-is.
 *
 * struct pt_regs as an entry stub leaves it on the stack. Offsets are from
 * %rsp after PUSH_REGS; lower addresses first. The CPU pushes the top five
 * words on delivery, the stub pushes orig_rax (the error code the CPU
 * pushed, or -1 / the vector for events without one), PUSH_REGS the rest.
 *
 *	offset	field		pushed by
 *	0x00	r15		PUSH_REGS (last push)
 *	0x08	r14		PUSH_REGS
 *	0x10	r13		PUSH_REGS
 *	0x18	r12		PUSH_REGS
 *	0x20	rbp		PUSH_REGS
 *	0x28	rbx		PUSH_REGS
 *	0x30	r11		PUSH_REGS
 *	0x38	r10		PUSH_REGS
 *	0x40	r9		PUSH_REGS
 *	0x48	r8		PUSH_REGS
 *	0x50	rax		PUSH_REGS
 *	0x58	rcx		PUSH_REGS
 *	0x60	rdx		PUSH_REGS
 *	0x68	rsi		PUSH_REGS
 *	0x70	rdi		PUSH_REGS (first push)
 *	0x78	orig_rax	stub, or the CPU's error code
 *	0x80	rip		CPU
 *	0x88	cs		CPU
 *	0x90	eflags		CPU
 *	0x98	rsp		CPU
 *	0xa0	ss		CPU
 *	0xa8	(end)		SIZEOF_PTREGS
 *
 * These are C preprocessor names: an upper-case register operand such as
 * %RSP would be replaced by its offset, so write registers in lower case.
 */
#ifndef NMILAB_CALLING_H
#define NMILAB_CALLING_H

#define R15		0*8
#define R14		1*8
#define R13		2*8
#define R12		3*8
#define RBP		4*8
#define RBX		5*8
#define R11		6*8
#define R10		7*8
#define R9		8*8
#define R8		9*8
#define RAX		10*8
#define RCX		11*8
#define RDX		12*8
#define RSI		13*8
#define RDI		14*8
#define ORIG_RAX	15*8
#define RIP		16*8
#define CS		17*8
#define EFLAGS		18*8
#define RSP		19*8
#define SS		20*8
#define SIZEOF_PTREGS	21*8

/* Bytes PUSH_REGS adds to the stack: the fifteen general registers. */
#define PUSH_REGS_SIZE	(ORIG_RAX - R15)

/*
 * Push the general registers so that, with orig_rax and the CPU's frame
 * above them, %rsp points at a complete struct pt_regs. The rdx, rcx and
 * rax arguments let a stub that has already used those registers push the
 * saved values instead (an operand such as "(%rsp)" or "$-1").
 */
.macro PUSH_REGS rdx=%rdx, rcx=%rcx, rax=%rax
	pushq	%rdi
	pushq	%rsi
	pushq	\rdx
	pushq	\rcx
	pushq	\rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

/*
 * Zero the registers whose values came from the interrupted context and
 * that the handler does not need, so none of them can be used speculatively.
 * %rdi and %rax are left alone: stubs pass the pt_regs pointer in %rdi.
 */
.macro CLEAR_REGS
	xorl	%esi, %esi
	xorl	%edx, %edx
	xorl	%ecx, %ecx
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%ebx, %ebx
	xorl	%ebp, %ebp
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	xorl	%r15d, %r15d
.endm

.macro PUSH_AND_CLEAR_REGS rdx=%rdx, rcx=%rcx, rax=%rax
	PUSH_REGS rdx=\rdx, rcx=\rcx, rax=\rax
	CLEAR_REGS
.endm

/*
 * Pop what PUSH_REGS pushed, in reverse order. With pop_rdi=0 the saved
 * %rdi stays on the stack, for exit paths that still need a scratch
 * register and pop it themselves.
 */
.macro POP_REGS pop_rdi=1
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	.if \pop_rdi
	popq	%rdi
	.endif
.endm

/*
 * nmilab runs only ring-0 code, so there is never a user GS base to
 * exchange with the kernel one: SWAPGS is empty. It is a preprocessor
 * macro on purpose: GNU as matches .macro names without regard to case,
 * so a .macro SWAPGS would also swallow a literal swapgs instruction.
 */
#define SWAPGS

/*
 * Unwind hints feed objtool in Linux. There is no objtool here, so they
 * assemble to nothing; they are kept so stubs copied from Linux assemble.
 */
.macro UNWIND_HINT_IRET_REGS base=%rsp, offset=0
.endm

.macro UNWIND_HINT_REGS base=%rsp, offset=0
.endm

.macro UNWIND_HINT_EMPTY
.endm

.macro UNWIND_HINT_END_OF_STACK
.endm

#endif /* NMILAB_CALLING_H */
