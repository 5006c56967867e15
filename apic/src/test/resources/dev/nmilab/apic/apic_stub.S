/*
 * Test stub for the local APIC: every CPU reads its APIC ID through the MMIO page, then
 * runs the script Java left in script[cpu]. Handlers count per CPU (indexed by the APIC ID
 * they read) and log the order of fixed vectors.
 *
 * Only %eax has a 64-bit absolute (moffs) form, so the APIC is reached with
 * "movl 0xfee000XX, %eax" / "movl %eax, 0xfee000XX" (a disp32 would sign-extend).
 */
#include <nmilab.h>

#define APIC_DEST_ALLBUT	0xc0000		/* apicdef.h, not in nmilab.h */
#define APIC_REG(r)		APIC_DEFAULT_PHYS_BASE + r

#define SCRIPT_IDLE		0	/* sti; hlt forever */
#define SCRIPT_SEND_IPIS	1	/* fixed 0x40 to APIC 1, then NMI to all but self, then idle */
#define SCRIPT_SPIN		2	/* busy forever */
#define SCRIPT_SPIN_THEN_IDLE	3	/* spin_count iterations, then idle */

	.text
SYM_CODE_START(_start)
	movl	APIC_REG(APIC_ID), %eax
	shrl	$24, %eax
	movl	%eax, apic_id_seen(,%rdi,4)
	movl	script(,%rdi,4), %eax
	cmpl	$SCRIPT_SEND_IPIS, %eax
	je	send_ipis
	cmpl	$SCRIPT_SPIN, %eax
	je	spin
	cmpl	$SCRIPT_SPIN_THEN_IDLE, %eax
	je	spin_then_idle
	jmp	idle

send_ipis:
	movl	$(1 << 24), %eax
	movl	%eax, APIC_REG(APIC_ICR2)
	movl	$0x40, %eax			/* Fixed, physical, vector 0x40 */
	movl	%eax, APIC_REG(APIC_ICR)
	movl	$(APIC_DEST_ALLBUT | APIC_DM_NMI), %eax
	movl	%eax, APIC_REG(APIC_ICR)
	movl	APIC_REG(APIC_ICR), %eax		/* delivery status reads idle */
	movl	%eax, icr_read_back(%rip)
	jmp	idle

spin:
	jmp	spin

spin_then_idle:
	movq	spin_count(%rip), %rcx
1:	decq	%rcx
	jnz	1b
	jmp	idle

idle:
	sti
2:	hlt
	jmp	2b
SYM_CODE_END(_start)

/* NMI: count per APIC ID; re-open LVT PC as Linux's PMI handler does when asked to. */
SYM_CODE_START(asm_exc_nmi)
	pushq	%rax
	movl	APIC_REG(APIC_ID), %eax
	shrl	$24, %eax
	lock incl nmi_count(,%rax,4)
	cmpl	$0, nmi_unmask_pc(%rip)
	je	3f
	movl	$APIC_DM_NMI, %eax
	movl	%eax, APIC_REG(APIC_LVTPC)
3:	popq	%rax
	iretq
SYM_CODE_END(asm_exc_nmi)

/* asm_irq_<vector> for the vectors the tests use: log the vector, count it per CPU, EOI. */
	.irp	vec, 64, 69, 81, 85, 88, 236
SYM_CODE_START(asm_irq_\vec)
	pushq	%rax
	pushq	%rcx
	movl	irq_log_len(%rip), %ecx
	movl	$\vec, irq_log(,%rcx,4)
	incl	irq_log_len(%rip)
	movl	APIC_REG(APIC_ID), %eax
	shrl	$24, %eax
	lock incl irq_count(,%rax,4)
	xorl	%eax, %eax
	movl	%eax, APIC_REG(APIC_EOI)
	popq	%rcx
	popq	%rax
	iretq
SYM_CODE_END(asm_irq_\vec)
	.endr

	.data
SYM_DATA_START(script)
	.fill	8, 4, 0
SYM_DATA_END(script)
SYM_DATA_START(spin_count)
	.quad	0
SYM_DATA_END(spin_count)
SYM_DATA_START(nmi_unmask_pc)
	.long	0
SYM_DATA_END(nmi_unmask_pc)
SYM_DATA_START(icr_read_back)
	.long	0xffffffff
SYM_DATA_END(icr_read_back)
SYM_DATA_START(apic_id_seen)
	.fill	8, 4, 0xffffffff
SYM_DATA_END(apic_id_seen)
SYM_DATA_START(nmi_count)
	.fill	8, 4, 0
SYM_DATA_END(nmi_count)
SYM_DATA_START(irq_count)
	.fill	8, 4, 0
SYM_DATA_END(irq_count)
SYM_DATA_START(irq_log_len)
	.long	0
SYM_DATA_END(irq_log_len)
SYM_DATA_START(irq_log)
	.fill	64, 4, 0
SYM_DATA_END(irq_log)
