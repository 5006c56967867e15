package dev.nmilab.apic;

import dev.nmilab.smp.Scheduler;
import dev.nmilab.x86.Cpu;

/**
 * A model of the fixed "unhalted core cycles" counter the hardlockup detector programs
 * (kernel/watchdog_hld.c through perf, arch/x86/events/intel/core.c): it counts only while
 * its CPU is not halted ({@link Cpu#unhaltedNs()}, one cycle per nanosecond) and overflows
 * after {@code periodNs} of that. The overflow is delivered as a PMI through the APIC's LVT
 * PC entry (NMI mode under Linux), which the hardware then masks.
 *
 * <p>The counter is checked at every scheduler window end, so an overflow is raised at the
 * first window end at or after the crossing: precision one window (one quantum). After an
 * overflow it re-arms on the same grid (k periods of unhalted time after {@link #program}),
 * as perf's period_left arithmetic keeps the watchdog period (x86_perf_event_set_period);
 * crossings missed within one window (a period shorter than the quantum) are skipped, not
 * raised late.
 */
public final class PerfCounter {
    private final LocalApic apic;
    private final Cpu cpu;
    private boolean enabled;
    private long periodNs;
    private long overflowAtNs;
    private long overflows;
    private long pmisDelivered;

    PerfCounter(LocalApic apic, Scheduler scheduler) {
        this.apic = apic;
        this.cpu = apic.cpu();
        scheduler.onWindowEnd(this::check);
        // unhalted time grows at most as fast as global time: no overflow before this
        scheduler.windowEndDeadline(() -> enabled
                ? scheduler.now() + Math.max(0, overflowAtNs - unhaltedNow()) : Long.MAX_VALUE);
    }

    /** Start counting: overflow after {@code periodNs} more unhalted nanoseconds, then every period. */
    public void program(long periodNs) {
        if (periodNs <= 0) {
            throw new IllegalArgumentException("perf counter period must be positive, got " + periodNs + " ns");
        }
        this.periodNs = periodNs;
        this.overflowAtNs = unhaltedNow() + periodNs;
        this.enabled = true;
    }

    public void disable() {
        enabled = false;
    }

    public boolean enabled() {
        return enabled;
    }

    public long periodNs() {
        return periodNs;
    }

    /** The unhalted time at which the counter overflows next. */
    public long overflowAtNs() {
        return overflowAtNs;
    }

    public long overflows() {
        return overflows;
    }

    /** Overflows that reached the CPU through an unmasked LVT PC. */
    public long pmisDelivered() {
        return pmisDelivered;
    }

    /** Unhalted time including a run in progress (a program() from a gate mid-run). */
    private long unhaltedNow() {
        return cpu.now() - cpu.idleNs();
    }

    private void check() {
        if (!enabled) {
            return;
        }
        long unhalted = unhaltedNow();
        if (unhalted < overflowAtNs) {
            return;
        }
        overflows++;
        overflowAtNs += ((unhalted - overflowAtNs) / periodNs + 1) * periodNs;
        if (apic.deliverPmi()) {
            pmisDelivered++;
        }
    }
}
