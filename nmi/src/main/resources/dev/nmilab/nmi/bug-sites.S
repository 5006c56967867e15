/*
 * The BUG_ON()s of nmi_enter/nmi_exit (include/linux/hardirq.h, expanded in
 * kernel/entry/common.c: irqentry_nmi_enter/irqentry_nmi_exit in 6.1). do_nmi sends the CPU
 * here when its preempt_count arithmetic trips one, so the BUG is a real ud2 found in __bug_table.
 */
#include <nmilab.h>
	.text
SYM_CODE_START(nmi_enter_bug)
	BUG_AT("kernel/entry/common.c", 453)
SYM_CODE_END(nmi_enter_bug)
SYM_CODE_START(nmi_exit_bug)
	BUG_AT("kernel/entry/common.c", 481)
SYM_CODE_END(nmi_exit_bug)
