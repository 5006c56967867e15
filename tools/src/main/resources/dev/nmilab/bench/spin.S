/* Benchmark workload: every CPU spins in a two-instruction loop forever. */
#include <nmilab.h>
	.text
SYM_CODE_START(_start)
1:	dec	%rcx
	jmp	1b
SYM_CODE_END(_start)
