/*
 * i386-latch.S - the i386 answer to nested NMIs (arch/x86/kernel/nmi.c since
 * Linux 3.3, for CONFIG_X86_32; later kernels keep it for x86_64 too, behind
 * entry_64.S): a three-state per-CPU latch kept at C level, written here in
 * assembly for the 64-bit machine.
 *
 *	NMI_NOT_RUNNING	0	no NMI on this CPU
 *	NMI_EXECUTING	1	the handler runs
 *	NMI_LATCHED	2	an NMI came in while it ran (after a #PF/#BP iretq
 *				unblocked NMIs): run the handler once more
 *
 * An NMI that finds the state not NOT_RUNNING only sets LATCHED and returns.
 * The running NMI, when its handler is done, decrements the state
 * (this_cpu_dec_return; 3.3 used a cmpxchg EXECUTING -> NOT_RUNNING, which
 * a latched NMI made fail): LATCHED becomes EXECUTING and the handler runs
 * again, EXECUTING becomes NOT_RUNNING and the NMI returns. Latching twice
 * is latching once, as with the CPU's own NMI latch.
 *
 * This only works because i386 takes NMIs on the interrupted stack: a nested
 * NMI pushes its frame below the running NMI's and so leaves it intact. Load
 * the NMI gate without an IST for this variant (NmiEntryVariant.I386_LATCH);
 * on x86_64's IST stack the nested frame would overwrite the running one.
 *
 * The state is a 32-bit word (enum nmi_states) at %gs:PERCPU_NMI_STATE in the
 * per-CPU area (nmilab.h: offset 0 holds the CPU number). The stack, offsets
 * from %rsp at asm_exc_nmi:
 *
 *	+0x20     SS                   pushed by the CPU
 *	+0x18     RSP
 *	+0x10     RFLAGS
 *	+0x08     CS
 *	+0x00     RIP                  <- %rsp at asm_exc_nmi and at iretq
 *	-0x08     orig_rax = -1        pt_regs (calling.h) from here down
 *	-0x80     r15                  <- %rsp at call NMI_HANDLER (pt_regs *)
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

/* nmilab's per-CPU layout (kernel/percpu/PerCpuArea.NMI_STATE). */
#ifndef PERCPU_NMI_STATE
#define PERCPU_NMI_STATE	16
#endif

#define NMI_NOT_RUNNING		0
#define NMI_EXECUTING		1
#define NMI_LATCHED		2

	.text
SYM_CODE_START(asm_exc_nmi)
	cld
	pushq	$-1
	PUSH_AND_CLEAR_REGS

	/*
	 * The CPU blocks NMIs until the handler's first IRET, so this test
	 * and the store after it cannot be split by another NMI.
	 */
	cmpl	$NMI_NOT_RUNNING, %gs:PERCPU_NMI_STATE
	jne	nmi_latch
	movl	$NMI_EXECUTING, %gs:PERCPU_NMI_STATE

nmi_restart:
	movq	%rsp, %rdi
	xorl	%esi, %esi
	inb	$0x61, %al		/* the NMI reason: SERR bit 7, IOCHK bit 6 */
	movb	%al, %sil
	call	NMI_HANDLER
	/* One instruction, so no NMI can fall between the decrement and its test. */
	decl	%gs:PERCPU_NMI_STATE
	jnz	nmi_restart
	jmp	nmi_restore

nmi_latch:
	/* Nested: leave the handler to the NMI that runs it. */
	movl	$NMI_LATCHED, %gs:PERCPU_NMI_STATE

nmi_restore:
	POP_REGS
	addq	$8, %rsp
	iretq
SYM_CODE_END(asm_exc_nmi)
