/*
 * naive.S - the x86_64 NMI entry before Linux 3.3 (the "nmi" paranoid entry
 * of arch/x86/kernel/entry_64.S in 3.2): one frame on the NMI IST stack, no
 * nesting check. It trusts the CPU to block NMIs until the handler is done.
 *
 * That trust breaks when the handler takes a #PF or #BP: that exception's
 * iretq unblocks NMIs, and the next NMI starts again at the top of the same
 * IST stack - its frame lands on this NMI's frame and its pt_regs on this
 * NMI's saved registers. When this NMI finally executes iretq it pops the
 * nested NMI's frame and returns into the middle of its own handler.
 *
 * The NMI stack (IST2), offsets from its top:
 *
 *	top-0x08  SS                   pushed by the CPU; the only copy
 *	top-0x10  RSP
 *	top-0x18  RFLAGS
 *	top-0x20  CS
 *	top-0x28  RIP                  <- %rsp at asm_exc_nmi and at iretq
 *	top-0x30  orig_rax = -1        pt_regs (calling.h) from here down
 *	top-0xa8  r15                  <- %rsp at call NMI_HANDLER (pt_regs *)
 *
 * The handler is NMI_HANDLER(struct pt_regs *regs, unsigned long reason): the NMI reason
 * byte, read from port 0x61 with a real inb just before the call (default_get_nmi_reason;
 * reading the port has no side effects, so reading it early changes nothing):
 * do_nmi, a Java gate, unless the includer defines it first.
 */
#include <nmilab.h>
#include <calling.h>

#ifndef NMI_HANDLER
#define NMI_HANDLER do_nmi
#endif

	.text
SYM_CODE_START(asm_exc_nmi)
	cld
	pushq	$-1
	PUSH_AND_CLEAR_REGS
	movq	%rsp, %rdi
	xorl	%esi, %esi
	inb	$0x61, %al		/* the NMI reason: SERR bit 7, IOCHK bit 6 */
	movb	%al, %sil
	call	NMI_HANDLER

nmi_restore:
	POP_REGS
	addq	$8, %rsp
	/* Pops whatever frame is at top-0x28 now: ours, or a nested NMI's. */
	iretq
SYM_CODE_END(asm_exc_nmi)
