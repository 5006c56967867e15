/* Line 3 holds an instruction that does not exist. */
	.text
	frobnicate %rax
