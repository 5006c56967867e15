/*
 * nested-safe.S - the x86_64 NMI entry since Linux 3.3: nested NMIs are
 * caught in assembly and turned into one repeat of the handler. Modelled on
 * asm_exc_nmi in arch/x86/entry/entry_64.S of Linux 6.1, kernel-mode path
 * only (nmilab runs ring 0 alone: no user-mode branch, SWAPGS is empty).
 *
 * Why: NMIs stay blocked only until the next IRET of any kind. A #PF or #BP
 * inside the handler returns with iretq and unblocks them, and the next NMI
 * lands on the same IST stack, on top of the running NMI's frame. So the
 * first NMI keeps two copies of its frame below the CPU's: the "outermost"
 * (saved) frame, written once, and the "iret" (copied) frame, which the final
 * iretq pops. A nested NMI does not run the handler: it points the iret frame
 * at repeat_nmi and returns; the outer NMI's iretq then lands on repeat_nmi,
 * which restores the iret frame from the saved one and runs the handler once
 * more - a software NMI latch, one deep like the CPU's.
 *
 * The NMI stack (IST2; NMI_STACK_SIZE bytes), offsets from its top:
 *
 *	top-0x08  original SS          pushed by the CPU on every NMI; a
 *	top-0x10  original RSP         nested NMI overwrites these words
 *	top-0x18  original RFLAGS
 *	top-0x20  original CS
 *	top-0x28  original RIP         <- %rsp at asm_exc_nmi
 *	top-0x30  saved %rdx           the entry's one scratch register
 *	top-0x38  "NMI executing"      1 from repeat_nmi until nmi_restore
 *	top-0x40  iret SS              the copied frame: the final iretq pops
 *	top-0x48  iret RSP             it; a nested NMI points it at
 *	top-0x50  iret RFLAGS          repeat_nmi; repeat_nmi copies the
 *	top-0x58  iret CS              outermost frame into it again
 *	top-0x60  iret RIP             <- %rsp at the final iretq
 *	top-0x68  outermost SS         the saved frame: written in first_nmi,
 *	top-0x70  outermost RSP        never changed until the NMI is done;
 *	top-0x78  outermost RFLAGS     it is also pt_regs->ip..ss
 *	top-0x80  outermost CS
 *	top-0x88  outermost RIP        <- %rsp at repeat_nmi
 *	top-0x90  orig_rax = -1        pt_regs (calling.h) from here down
 *	top-0x108 r15                  <- %rsp at call NMI_HANDLER (pt_regs *)
 *
 * The handler is NMI_HANDLER(struct pt_regs *regs, unsigned long reason): the NMI reason
 * byte, read from port 0x61 with a real inb just before the call (default_get_nmi_reason;
 * reading the port has no side effects, so reading it early changes nothing):
 * do_nmi, a Java gate, unless the includer defines it first (tests run an
 * assembly handler that takes a #BP).
 */
#include <nmilab.h>
#include <calling.h>

#ifndef NMI_HANDLER
#define NMI_HANDLER do_nmi
#endif

/* The IST page nmilab gives each CPU's NMI stack (BootLayout). */
#define NMI_STACK_SIZE	0x1000

/*
 * Copy five frame words from \from(%rsp) to \to(%rsp) with no free
 * register: push the source word, pop it into the destination (pop computes
 * an %rsp-based address after the increment, so both offsets are from the
 * same %rsp). repeat_nmi runs with every register holding the interrupted
 * context's value, so it cannot use a scratch register.
 */
.macro COPY_NMI_FRAME from:req, to:req
	.irp word, 0, 1, 2, 3, 4
	pushq	\from + \word * 8(%rsp)
	popq	\to + \word * 8(%rsp)
	.endr
.endm

	.text
SYM_CODE_START(asm_exc_nmi)
	cld
	pushq	%rdx

	/*
	 * Interrupted between repeat_nmi and end_repeat_nmi: the outer NMI is
	 * rewriting its iret frame and will run the handler anyway. Leave the
	 * frame alone and go back (entry_64.S: "nested_nmi_out").
	 */
	leaq	repeat_nmi(%rip), %rdx
	cmpq	%rdx, 8(%rsp)
	jb	1f
	leaq	end_repeat_nmi(%rip), %rdx
	cmpq	%rdx, 8(%rsp)
	jb	nested_nmi_out
1:
	/* "NMI executing" set: the outer NMI is in its handler. */
	cmpq	$1, -8(%rsp)
	je	nested_nmi

	/*
	 * Clear, but the interrupted RSP is on this NMI stack: the outer NMI
	 * has cleared "NMI executing" and not yet reached its iretq. Unsigned
	 * top - RSP above the stack size covers both "above" and "below".
	 */
	leaq	6*8(%rsp), %rdx
	subq	4*8(%rsp), %rdx
	cmpq	$NMI_STACK_SIZE, %rdx
	ja	first_nmi
	/*
	 * nmi_restore sets DF before clearing "NMI executing"; with DF clear
	 * the stack pointer only happens to point here (in Linux: user RSP at a
	 * SYSCALL entry, where DF is always clear).
	 */
	btq	$X86_EFLAGS_DF_BIT, 3*8(%rsp)
	jnc	first_nmi

nested_nmi:
	/*
	 * Rewrite the outer NMI's iret frame (top-0x60..top-0x40) so its final
	 * iretq goes to repeat_nmi with %rsp at the outermost frame. Built by
	 * pushes below "NMI executing", then %rsp goes back.
	 */
	leaq	-11*8(%rsp), %rdx
	subq	$8, %rsp
	pushq	$__KERNEL_DS
	pushq	%rdx
	pushfq
	pushq	$__KERNEL_CS
	leaq	repeat_nmi(%rip), %rdx
	pushq	%rdx
	addq	$6*8, %rsp

nested_nmi_out:
	popq	%rdx
	/* Back to the outer NMI; this iretq pops only this NMI's own frame. */
	iretq

first_nmi:
	/*
	 * Not nested. The CPU blocks NMIs from here until the first IRET, so
	 * nothing can overwrite the original frame while it is copied.
	 */
	movq	(%rsp), %rdx
	pushq	$0
	subq	$10*8, %rsp
	COPY_NMI_FRAME from=12*8, to=0

repeat_nmi:
	/*
	 * First pass, or the outer NMI's iretq after a nested NMI. NMIs that
	 * arrive from here to end_repeat_nmi return at once (see above), so
	 * writing the iret frame cannot race with one.
	 */
	movq	$1, 10*8(%rsp)
	COPY_NMI_FRAME from=0, to=5*8
end_repeat_nmi:
	/*
	 * From here a nested NMI (after a #PF/#BP iretq in the handler) may
	 * rewrite the iret frame to come back to repeat_nmi.
	 */
	pushq	$-1
	PUSH_AND_CLEAR_REGS
	movq	%rsp, %rdi
	xorl	%esi, %esi
	inb	$0x61, %al		/* the NMI reason: SERR bit 7, IOCHK bit 6 */
	movb	%al, %sil
	call	NMI_HANDLER

nmi_restore:
	POP_REGS
	/* Past orig_rax and the outermost frame: %rsp at the iret frame. */
	addq	$6*8, %rsp
	std
	movq	$0, 5*8(%rsp)
	/* Pops the copied frame: back where the NMI came from, or to repeat_nmi. */
	iretq
SYM_CODE_END(asm_exc_nmi)
