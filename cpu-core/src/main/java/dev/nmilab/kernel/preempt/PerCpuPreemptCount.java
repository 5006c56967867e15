package dev.nmilab.kernel.preempt;

import static dev.nmilab.kernel.preempt.PreemptCount.HARDIRQ_OFFSET;
import static dev.nmilab.kernel.preempt.PreemptCount.NMI_MASK;
import static dev.nmilab.kernel.preempt.PreemptCount.NMI_OFFSET;
import static dev.nmilab.kernel.preempt.PreemptCount.PREEMPT_NEED_RESCHED;

import dev.nmilab.kernel.KernelBugException;
import dev.nmilab.memory.GuestMemory;

/**
 * One CPU's preempt_count, living where x86 keeps it: the per-CPU variable {@code __preempt_count}
 * (arch/x86/include/asm/preempt.h, arch/x86/kernel/cpu/common.c), not task_struct or thread_info.
 * Since Linux 3.13 x86 reads it with a single %gs-relative instruction, and the count belongs to the
 * CPU: a task that migrates sees the count of the CPU it now runs on, which is why code that stubs
 * run as real instructions and the Java model must agree on this one memory word.
 *
 * <p>The value is a 32-bit little-endian int at {@code address} in emulated memory (the CPU's per-CPU
 * area base plus the variable's offset). Arithmetic wraps like {@code addl}/{@code subl} on it.
 */
public final class PerCpuPreemptCount {
    /**
     * Where the BUG_ONs of __nmi_enter()/__nmi_exit() (include/linux/hardirq.h) report on x86 6.1:
     * the macros expand inside irqentry_nmi_enter()/irqentry_nmi_exit() of kernel/entry/common.c,
     * which exc_nmi() calls, so __FILE__/__LINE__ name those lines. Derived, not read from a v6.1
     * tag: irqentry_nmi_enter() starts at line 447 once the KMSAN entry hooks of 6.1-rc1 are in
     * (the patch context puts ct_nmi_enter() at 456; 6.2 debug info also says 447, 5.19 says 443).
     */
    public static final String NMI_ENTRY_FILE = "kernel/entry/common.c";
    public static final int NMI_ENTER_BUG_LINE = 453;
    public static final int NMI_EXIT_BUG_LINE = 481;

    private final GuestMemory memory;
    private final long address;

    public PerCpuPreemptCount(GuestMemory memory, long address) {
        this.memory = memory;
        this.address = address;
    }

    public long address() {
        return address;
    }

    /** The whole 32-bit word, NEED_RESCHED bit included. */
    public int raw() {
        return memory.readInt(address);
    }

    /** preempt_count(): the word without x86's NEED_RESCHED bit. */
    public int value() {
        return raw() & ~PREEMPT_NEED_RESCHED;
    }

    /** Stores a raw word, e.g. the boot-time INIT_PREEMPT_COUNT. */
    public void set(int raw) {
        memory.writeInt(address, raw);
    }

    /** init_idle_preempt_count(): PREEMPT_DISABLED for the CPU's idle task. */
    public void initIdlePreemptCount() {
        set(PreemptCount.PREEMPT_DISABLED);
    }

    /** __preempt_count_add(). */
    public void add(int delta) {
        set(raw() + delta);
    }

    /** __preempt_count_sub(). */
    public void sub(int delta) {
        set(raw() - delta);
    }

    /**
     * The preempt_count part of __nmi_enter(): BUG_ON(in_nmi() == NMI_MASK), then add
     * NMI_OFFSET + HARDIRQ_OFFSET. Fifteen nested NMIs fit; the sixteenth is the BUG.
     */
    public void nmiEnter() {
        if (PreemptCount.nmiCount(value()) == NMI_MASK) {
            throw new KernelBugException(NMI_ENTRY_FILE, NMI_ENTER_BUG_LINE, "in_nmi() == NMI_MASK");
        }
        add(NMI_OFFSET + HARDIRQ_OFFSET);
    }

    /** The preempt_count part of __nmi_exit(): BUG_ON(!in_nmi()), then subtract what nmiEnter added. */
    public void nmiExit() {
        if (!PreemptCount.inNmi(value())) {
            throw new KernelBugException(NMI_ENTRY_FILE, NMI_EXIT_BUG_LINE, "!in_nmi()");
        }
        sub(NMI_OFFSET + HARDIRQ_OFFSET);
    }

    /** __irq_enter_raw(): preempt_count_add(HARDIRQ_OFFSET), no check. */
    public void irqEnter() {
        add(HARDIRQ_OFFSET);
    }

    /** __irq_exit_raw(): preempt_count_sub(HARDIRQ_OFFSET), no check. */
    public void irqExit() {
        sub(HARDIRQ_OFFSET);
    }

    /** test_preempt_need_resched(): x86 stores the flag inverted, so a clear bit means "resched". */
    public boolean needResched() {
        return (raw() & PREEMPT_NEED_RESCHED) == 0;
    }

    /** set_preempt_need_resched(): clears the inverted bit. */
    public void setNeedResched() {
        set(raw() & ~PREEMPT_NEED_RESCHED);
    }

    /** clear_preempt_need_resched(): sets the inverted bit. */
    public void clearNeedResched() {
        set(raw() | PREEMPT_NEED_RESCHED);
    }

    @Override
    public String toString() {
        return String.format("__preempt_count@0x%x=0x%08x", address, raw());
    }
}
