/* Builds and unwinds a pt_regs frame with the calling.h macros. */
#include "calling.h"
#include "nmilab.h"

	.text
SYM_CODE_START(frame_entry)
	pushq	$-1			/* orig_rax */
push_start:
	PUSH_REGS
push_end:
	POP_REGS
pop_end:
	addq	$8, %rsp
	iretq
SYM_CODE_END(frame_entry)

SYM_CODE_START(clearing_entry)
	PUSH_AND_CLEAR_REGS
clearing_end:
	SWAPGS				/* empty in nmilab */
swapgs_macro_end:
	swapgs				/* the instruction itself must survive */
swapgs_insn_end:
	ret
SYM_CODE_END(clearing_entry)

	/* Export the layout as absolute symbols so the test can read it. */
	.set	PUSHED_BYTES, PUSH_REGS_SIZE
	.set	PTREGS_BYTES, SIZEOF_PTREGS
	.set	OFFSET_R15, R15
	.set	OFFSET_R14, R14
	.set	OFFSET_R13, R13
	.set	OFFSET_R12, R12
	.set	OFFSET_RBP, RBP
	.set	OFFSET_RBX, RBX
	.set	OFFSET_R11, R11
	.set	OFFSET_R10, R10
	.set	OFFSET_R9, R9
	.set	OFFSET_R8, R8
	.set	OFFSET_RAX, RAX
	.set	OFFSET_RCX, RCX
	.set	OFFSET_RDX, RDX
	.set	OFFSET_RSI, RSI
	.set	OFFSET_RDI, RDI
	.set	OFFSET_ORIG_RAX, ORIG_RAX
	.set	OFFSET_RIP, RIP
	.set	OFFSET_CS, CS
	.set	OFFSET_EFLAGS, EFLAGS
	.set	OFFSET_RSP, RSP
	.set	OFFSET_SS, SS
	.set	KERNEL_CS, __KERNEL_CS
	.set	TRAP_NMI, X86_TRAP_NMI
	.set	TRAP_MC, X86_TRAP_MC
	.set	MCG_STATUS_MSR, MSR_IA32_MCG_STATUS
	.set	MCG_CAP_MSR, MSR_IA32_MCG_CAP
	.set	APIC_BASE, APIC_DEFAULT_PHYS_BASE
	.set	EFLAGS_IF, X86_EFLAGS_IF
