package dev.nmilab.kernel.preempt;

/**
 * The preempt_count bit layout of include/linux/preempt.h (Linux 6.1) and its context tests.
 *
 * <pre>
 *         PREEMPT_MASK: 0x000000ff   bits 0-7   preempt_disable() depth
 *         SOFTIRQ_MASK: 0x0000ff00   bits 8-15  softirq serving (odd) / BH disable (+2)
 *         HARDIRQ_MASK: 0x000f0000   bits 16-19 hardirq nesting
 *             NMI_MASK: 0x00f00000   bits 20-23 NMI nesting (up to 15)
 * PREEMPT_NEED_RESCHED: 0x80000000   x86 only, inverted: set means "no resched needed"
 * </pre>
 *
 * The static tests take a preempt_count() value, i.e. the count without x86's NEED_RESCHED bit
 * (arch/x86/include/asm/preempt.h masks it off in preempt_count()).
 */
public final class PreemptCount {
    private PreemptCount() {
    }

    public static final int PREEMPT_BITS = 8;
    public static final int SOFTIRQ_BITS = 8;
    public static final int HARDIRQ_BITS = 4;
    public static final int NMI_BITS = 4;

    public static final int PREEMPT_SHIFT = 0;
    public static final int SOFTIRQ_SHIFT = PREEMPT_SHIFT + PREEMPT_BITS;
    public static final int HARDIRQ_SHIFT = SOFTIRQ_SHIFT + SOFTIRQ_BITS;
    public static final int NMI_SHIFT = HARDIRQ_SHIFT + HARDIRQ_BITS;

    public static final int PREEMPT_MASK = ((1 << PREEMPT_BITS) - 1) << PREEMPT_SHIFT;
    public static final int SOFTIRQ_MASK = ((1 << SOFTIRQ_BITS) - 1) << SOFTIRQ_SHIFT;
    public static final int HARDIRQ_MASK = ((1 << HARDIRQ_BITS) - 1) << HARDIRQ_SHIFT;
    public static final int NMI_MASK = ((1 << NMI_BITS) - 1) << NMI_SHIFT;

    public static final int PREEMPT_OFFSET = 1 << PREEMPT_SHIFT;
    public static final int SOFTIRQ_OFFSET = 1 << SOFTIRQ_SHIFT;
    public static final int HARDIRQ_OFFSET = 1 << HARDIRQ_SHIFT;
    public static final int NMI_OFFSET = 1 << NMI_SHIFT;

    /** local_bh_disable() adds twice SOFTIRQ_OFFSET so "serving a softirq" stays the odd bit. */
    public static final int SOFTIRQ_DISABLE_OFFSET = 2 * SOFTIRQ_OFFSET;

    /** x86's inverted need-resched flag inside __preempt_count (arch/x86/include/asm/preempt.h). */
    public static final int PREEMPT_NEED_RESCHED = 0x8000_0000;

    /** x86: "preemption enabled, nothing to reschedule" is the NEED_RESCHED bit alone. */
    public static final int PREEMPT_ENABLED = PREEMPT_NEED_RESCHED;

    /**
     * PREEMPT_OFFSET with CONFIG_PREEMPT_COUNT, which 6.1 x86_64 defconfig has (PREEMPT_DYNAMIC
     * defaults to y on x86 and selects PREEMPT_BUILD, hence PREEMPTION and PREEMPT_COUNT).
     */
    public static final int PREEMPT_DISABLE_OFFSET = PREEMPT_OFFSET;

    /** What init_idle_preempt_count() stores for an idle task on x86. */
    public static final int PREEMPT_DISABLED = PREEMPT_DISABLE_OFFSET + PREEMPT_ENABLED;

    /** The static initializer of the per-CPU __preempt_count: preemption off until the scheduler runs. */
    public static final int INIT_PREEMPT_COUNT = PREEMPT_OFFSET;

    /** nmi_count(): the NMI field, unshifted. */
    public static int nmiCount(int preemptCount) {
        return preemptCount & NMI_MASK;
    }

    /** How many nmi_enter() are outstanding: the NMI field shifted down (0..15). */
    public static int nmiNesting(int preemptCount) {
        return nmiCount(preemptCount) >>> NMI_SHIFT;
    }

    /** hardirq_count(). */
    public static int hardirqCount(int preemptCount) {
        return preemptCount & HARDIRQ_MASK;
    }

    /** softirq_count() (!PREEMPT_RT). */
    public static int softirqCount(int preemptCount) {
        return preemptCount & SOFTIRQ_MASK;
    }

    /** irq_count(): NMI, hardirq and softirq fields together (!PREEMPT_RT). */
    public static int irqCount(int preemptCount) {
        return preemptCount & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK);
    }

    /** in_nmi(). */
    public static boolean inNmi(int preemptCount) {
        return nmiCount(preemptCount) != 0;
    }

    /** in_hardirq(). */
    public static boolean inHardirq(int preemptCount) {
        return hardirqCount(preemptCount) != 0;
    }

    /** in_irq(), the older name of in_hardirq(). */
    public static boolean inIrq(int preemptCount) {
        return inHardirq(preemptCount);
    }

    /** in_softirq(): serving a softirq or with bottom halves disabled. */
    public static boolean inSoftirq(int preemptCount) {
        return softirqCount(preemptCount) != 0;
    }

    /** in_serving_softirq(). */
    public static boolean inServingSoftirq(int preemptCount) {
        return (softirqCount(preemptCount) & SOFTIRQ_OFFSET) != 0;
    }

    /** in_interrupt(): NMI, hardirq or softirq context, or bottom halves disabled. */
    public static boolean inInterrupt(int preemptCount) {
        return irqCount(preemptCount) != 0;
    }

    /** in_task(). */
    public static boolean inTask(int preemptCount) {
        return (preemptCount & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET)) == 0;
    }

    /** in_atomic(); the x86 NEED_RESCHED bit is ignored so raw values work too. */
    public static boolean inAtomic(int preemptCount) {
        return (preemptCount & ~PREEMPT_NEED_RESCHED) != 0;
    }

    /** interrupt_context_level(): 0 task, 1 softirq, 2 hardirq, 3 NMI. */
    public static int interruptContextLevel(int preemptCount) {
        int level = 0;
        level += (preemptCount & NMI_MASK) != 0 ? 1 : 0;
        level += (preemptCount & (NMI_MASK | HARDIRQ_MASK)) != 0 ? 1 : 0;
        level += (preemptCount & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET)) != 0 ? 1 : 0;
        return level;
    }
}
