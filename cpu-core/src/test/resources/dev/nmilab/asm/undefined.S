/* Links against a handler nobody defines. */
	.text
	.globl	caller
caller:
	call	missing_handler
