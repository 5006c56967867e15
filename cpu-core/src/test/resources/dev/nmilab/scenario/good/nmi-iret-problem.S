/* Test fixture: the parser only checks that this file exists. */
	.text
	.globl	bp_handler_done
bp_handler_done:
	iretq
