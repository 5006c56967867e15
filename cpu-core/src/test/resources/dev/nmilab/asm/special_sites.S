/* One of each special instruction at a known offset from sites. */
#include "nmilab.h"

	.text
SYM_CODE_START(sites)
	nop			/* +0x0 */
	iretq			/* +0x1, 48 cf */
	hlt			/* +0x3 */
	int3			/* +0x4 */
	ud2			/* +0x5, 0f 0b */
	sti			/* +0x7 */
	cli			/* +0x8 */
	popfq			/* +0x9 */
	iretl			/* +0xa, cf */
	.byte	0x66, 0xcf	/* +0xb, iretw */
	ret			/* +0xd */
SYM_CODE_END(sites)

	/* Not code: must not be reported even though it is an int3 byte. */
	.section .rodata
not_code:
	.byte	0xcc, 0xf4
