/*
 * An NMI handler in assembly, as the nested-NMI story of LWN's "The x86 NMI iret problem" (2012)
 * tells it: it touches vmalloc memory that this CPU's page tables do not map yet (#PF, fixed up
 * by vmalloc_fault, iretq) and passes a kprobe-style breakpoint (#BP, iretq). Both irets end NMI
 * blocking while the handler still runs, so a second NMI can arrive in the middle of the first.
 *
 * Conventions nmilab follows when a loaded stub defines them:
 *   nmi_asm_handler   registered as an NMI_LOCAL handler (runs as instructions from do_nmi)
 *   vmalloc_area_ptr  receives the address of a vmalloc'd page at boot
 *
 * It is the stub of the built-in scenarios nested-nmi-iret (entry: nested-safe, x86_64 since 3.3),
 * nested-nmi-iret-naive (x86_64 before 3.3) and nested-nmi-iret-i386 (the C-level latch):
 *   ./nmilab run nested-nmi-iret
 */
#include <nmilab.h>

	.text
SYM_FUNC_START(nmi_asm_handler)
	incq	nmi_handler_runs(%rip)
	movq	vmalloc_area_ptr(%rip), %rax
	movq	(%rax), %rax			/* the first touch on this CPU faults: vmalloc_fault */
SYM_INNER_LABEL(after_vmalloc_fault)		/* the #PF iretq returned here: NMIs unblocked */
	nop
	int3					/* a kprobe on the handler */
SYM_INNER_LABEL(after_kprobe)			/* the #BP iretq returned here: NMIs unblocked */
	nop
	movl	$1, %eax			/* NMI_HANDLED */
	ret
SYM_FUNC_END(nmi_asm_handler)

	.data
	.globl	vmalloc_area_ptr, nmi_handler_runs
	.p2align 3
vmalloc_area_ptr:	.quad 0
nmi_handler_runs:	.quad 0
