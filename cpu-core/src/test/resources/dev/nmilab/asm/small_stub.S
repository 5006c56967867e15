/* A stub with one symbol in each section, for checking layout and bytes. */
#include "nmilab.h"

	.text
SYM_CODE_START(entry)
	movl	$__KERNEL_DS, %eax	/* b8 18 00 00 00 */
	movq	$message, %rax		/* 48 c7 c0 <message, sign-extended imm32> */
local_label:
	hlt				/* f4 */
	jmp	local_label		/* eb fd */
SYM_CODE_END(entry)

	.section .rodata
message:
	.asciz	"hi"

	.data
counter:
	.quad	0x1122334455667788

	.bss
scratch:
	.skip	32
