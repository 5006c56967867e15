/*
 * The test's side of an NMI entry run; the entry variant's source is
 * appended to this text, and a test may prepend #defines:
 *
 *	NMI_HANDLER nmi_body	the entry calls nmi_body instead of do_nmi
 *	START_RSP value		_start runs on that stack (one inside the NMI
 *				stack, with DF clear, for the DF test)
 *
 * _start loads known values into the general registers, is interrupted at
 * nmi_site, then stores what it finds into regs_after and halts: an NMI
 * entry that returns anywhere else, or with other register values, shows.
 */
#include <nmilab.h>

#define REG_PATTERN(n)	(0x5a5a000000000000 + (n))

	.text
SYM_CODE_START(_start)
#ifdef START_RSP
	movabsq	$START_RSP, %rsp
#endif
	movabsq	$REG_PATTERN(0), %rax
	movabsq	$REG_PATTERN(1), %rbx
	movabsq	$REG_PATTERN(2), %rcx
	movabsq	$REG_PATTERN(3), %rdx
	movabsq	$REG_PATTERN(4), %rsi
	movabsq	$REG_PATTERN(5), %rdi
	movabsq	$REG_PATTERN(6), %rbp
	movabsq	$REG_PATTERN(8), %r8
	movabsq	$REG_PATTERN(9), %r9
	movabsq	$REG_PATTERN(10), %r10
	movabsq	$REG_PATTERN(11), %r11
	movabsq	$REG_PATTERN(12), %r12
	movabsq	$REG_PATTERN(13), %r13
	movabsq	$REG_PATTERN(14), %r14
	movabsq	$REG_PATTERN(15), %r15
SYM_INNER_LABEL(nmi_site)
	movq	%rax, regs_after+0*8(%rip)
	movq	%rbx, regs_after+1*8(%rip)
	movq	%rcx, regs_after+2*8(%rip)
	movq	%rdx, regs_after+3*8(%rip)
	movq	%rsi, regs_after+4*8(%rip)
	movq	%rdi, regs_after+5*8(%rip)
	movq	%rbp, regs_after+6*8(%rip)
	movq	%rsp, regs_after+7*8(%rip)
	movq	%r8, regs_after+8*8(%rip)
	movq	%r9, regs_after+9*8(%rip)
	movq	%r10, regs_after+10*8(%rip)
	movq	%r11, regs_after+11*8(%rip)
	movq	%r12, regs_after+12*8(%rip)
	movq	%r13, regs_after+13*8(%rip)
	movq	%r14, regs_after+14*8(%rip)
	movq	%r15, regs_after+15*8(%rip)
	pushfq
	popq	regs_after+16*8(%rip)
	hlt
SYM_CODE_END(_start)

/*
 * An NMI handler with breakpoints in it, as a kprobe in an NMI handler has:
 * do_nmi (Java) first, then two int3. Each #BP returns with iretq, which
 * unblocks NMIs while the NMI is still running: the iret problem's window.
 */
SYM_FUNC_START(nmi_body)
	call	do_nmi
	int3
SYM_INNER_LABEL(bp_returned)
	int3
SYM_INNER_LABEL(bp2_returned)
	ret
SYM_FUNC_END(nmi_body)

/* Vector 3, no IST: runs on the NMI's stack and returns with iretq. */
SYM_CODE_START(asm_exc_int3)
	iretq
SYM_CODE_END(asm_exc_int3)

	.data
SYM_DATA_START(regs_after)
	.fill	17, 8, 0
SYM_DATA_END(regs_after)
