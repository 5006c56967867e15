/*
 * nmilab.h - architectural constants and symbol-definition macros for the
 * entry stubs that nmilab assembles with GNU as.
 *
 * The names follow the Linux kernel (arch/x86/include/asm/trapnr.h,
 * segment.h, processor-flags.h, msr-index.h, apicdef.h and
 * include/linux/linkage.h) so that a stub written in the style of
 * arch/x86/entry/entry_64.S reads the same here. The values are the
 * architectural ones from the Intel SDM.
 *
 * This file is run through the C preprocessor only: keep it to #define and
 * assembler directives, and write comments as C comments (a line starting
 * with '#' that is not a directive would reach the assembler).
 */
#ifndef NMILAB_H
#define NMILAB_H

/* Exception vectors (Intel SDM vol. 3, table 6-1). */
#define X86_TRAP_DE		0	/* divide error */
#define X86_TRAP_DB		1	/* debug */
#define X86_TRAP_NMI		2	/* non-maskable interrupt */
#define X86_TRAP_BP		3	/* breakpoint (int3) */
#define X86_TRAP_OF		4	/* overflow */
#define X86_TRAP_BR		5	/* bound range exceeded */
#define X86_TRAP_UD		6	/* invalid opcode */
#define X86_TRAP_NM		7	/* device not available */
#define X86_TRAP_DF		8	/* double fault */
#define X86_TRAP_OLD_MF		9	/* coprocessor segment overrun */
#define X86_TRAP_TS		10	/* invalid TSS */
#define X86_TRAP_NP		11	/* segment not present */
#define X86_TRAP_SS		12	/* stack-segment fault */
#define X86_TRAP_GP		13	/* general protection */
#define X86_TRAP_PF		14	/* page fault */
#define X86_TRAP_SPURIOUS	15	/* reserved */
#define X86_TRAP_MF		16	/* x87 floating-point error */
#define X86_TRAP_AC		17	/* alignment check */
#define X86_TRAP_MC		18	/* machine check */

/* GDT selectors of the flat 64-bit kernel and user segments. */
#define __KERNEL_CS		0x10
#define __KERNEL_DS		0x18
#define __USER_DS		0x2b
#define __USER_CS		0x33

/* RFLAGS bits, as masks and as bit numbers for bt/bts/btr. */
#define X86_EFLAGS_CF_BIT	0
#define X86_EFLAGS_FIXED_BIT	1	/* always reads as 1 */
#define X86_EFLAGS_PF_BIT	2
#define X86_EFLAGS_AF_BIT	4
#define X86_EFLAGS_ZF_BIT	6
#define X86_EFLAGS_SF_BIT	7
#define X86_EFLAGS_TF_BIT	8
#define X86_EFLAGS_IF_BIT	9
#define X86_EFLAGS_DF_BIT	10
#define X86_EFLAGS_OF_BIT	11
#define X86_EFLAGS_NT_BIT	14
#define X86_EFLAGS_RF_BIT	16
#define X86_EFLAGS_VM_BIT	17
#define X86_EFLAGS_AC_BIT	18
#define X86_EFLAGS_ID_BIT	21

#define X86_EFLAGS_CF		(1 << X86_EFLAGS_CF_BIT)
#define X86_EFLAGS_FIXED	(1 << X86_EFLAGS_FIXED_BIT)
#define X86_EFLAGS_PF		(1 << X86_EFLAGS_PF_BIT)
#define X86_EFLAGS_AF		(1 << X86_EFLAGS_AF_BIT)
#define X86_EFLAGS_ZF		(1 << X86_EFLAGS_ZF_BIT)
#define X86_EFLAGS_SF		(1 << X86_EFLAGS_SF_BIT)
#define X86_EFLAGS_TF		(1 << X86_EFLAGS_TF_BIT)
#define X86_EFLAGS_IF		(1 << X86_EFLAGS_IF_BIT)
#define X86_EFLAGS_DF		(1 << X86_EFLAGS_DF_BIT)
#define X86_EFLAGS_OF		(1 << X86_EFLAGS_OF_BIT)
#define X86_EFLAGS_IOPL		(3 << 12)
#define X86_EFLAGS_NT		(1 << X86_EFLAGS_NT_BIT)
#define X86_EFLAGS_RF		(1 << X86_EFLAGS_RF_BIT)
#define X86_EFLAGS_VM		(1 << X86_EFLAGS_VM_BIT)
#define X86_EFLAGS_AC		(1 << X86_EFLAGS_AC_BIT)
#define X86_EFLAGS_ID		(1 << X86_EFLAGS_ID_BIT)

/* Model-specific registers the stubs read or write. */
#define MSR_IA32_APICBASE	0x0000001b
#define MSR_IA32_MCG_CAP	0x00000179
#define MSR_IA32_MCG_STATUS	0x0000017a
#define MSR_IA32_MCG_CTL	0x0000017b
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102

/* IA32_MCG_STATUS bits: restart IP valid, error IP valid, #MC in progress. */
#define MCG_STATUS_RIPV		(1 << 0)
#define MCG_STATUS_EIPV		(1 << 1)
#define MCG_STATUS_MCIP		(1 << 2)

/* Local APIC: default physical base and the register offsets stubs touch. */
#define APIC_DEFAULT_PHYS_BASE	0xfee00000
#define APIC_ID			0x20
#define APIC_TASKPRI		0x80
#define APIC_EOI		0xb0
#define APIC_ICR		0x300
#define APIC_ICR2		0x310
#define APIC_LVTPC		0x340
#define APIC_LVT0		0x350
#define APIC_LVT1		0x360
#define APIC_DM_NMI		0x00400
#define APIC_LVT_MASKED		(1 << 16)

/*
 * Symbol definitions in the shape of include/linux/linkage.h.
 *
 * Code symbols are aligned to 16 bytes and padded with nop (0x90), as Linux
 * pads functions. The padding must not be int3 or ud2: nmilab scans the
 * text for those and a padding byte would read as a breakpoint site.
 * Several statements on one line are separated with ';', which GNU as
 * accepts on x86 as a statement separator.
 */
#define SYM_ALIGN		.p2align 4, 0x90

/* Entry code: global, aligned, no ELF type (it is not called like a function). */
#define SYM_CODE_START(name)		.globl name; SYM_ALIGN; name:
#define SYM_CODE_START_LOCAL(name)	SYM_ALIGN; name:
#define SYM_CODE_START_NOALIGN(name)	.globl name; name:
#define SYM_CODE_END(name)		.type name, @notype; .size name, . - name

/* Functions reached by call: typed STT_FUNC so the symbol table says so. */
#define SYM_FUNC_START(name)		.globl name; SYM_ALIGN; .type name, @function; name:
#define SYM_FUNC_START_LOCAL(name)	SYM_ALIGN; .type name, @function; name:
#define SYM_FUNC_END(name)		.size name, . - name

/* A global label in the middle of a code block (a second entry point). */
#define SYM_INNER_LABEL(name)		.globl name; name:

/* Data objects. */
#define SYM_DATA_START(name)		.globl name; .p2align 3; .type name, @object; name:
#define SYM_DATA_END(name)		.size name, . - name

/* The older spellings, still common in stubs copied from pre-5.5 kernels. */
#define ENTRY(name)			.globl name; SYM_ALIGN; name:
#define END(name)			.size name, . - name
#define ENDPROC(name)			.type name, @function; END(name)

#endif /* NMILAB_H */

/*
 * Per-CPU area (GS base), nmilab's layout: offset 0 the CPU number, then the
 * variables stubs and the Java kernel share. x86 keeps preempt_count per CPU
 * (arch/x86/include/asm/preempt.h: __preempt_count), not per task.
 */
#define PERCPU_CPU_NUMBER	0
#define PERCPU_PREEMPT_COUNT	8
#define PERCPU_NMI_STATE	16

/*
 * BUG_AT(file, line): a ud2 with a __bug_table entry, as arch/x86/include/asm/bug.h
 * lays it out with relative pointers: { s32 bug_addr_disp; s32 file_disp; u16 line; u16 flags; }.
 * #UD at the ud2 is looked up in the table and reported as "kernel BUG at FILE:LINE!".
 */
#define BUG_AT(file, line)						\
	990: ud2;							\
	.pushsection .rodata.bugstr, "a";				\
	991: .asciz file;						\
	.popsection;							\
	.pushsection __bug_table, "a";					\
	.p2align 2;							\
	.long 990b - .;							\
	.long 991b - .;							\
	.word line;							\
	.word 0;							\
	.popsection
#define BUG()	BUG_AT(__FILE__, __LINE__)
