package dev.nmilab.kernel.panic;

/**
 * panic(): nmi, mce, ghes and mm call it; the first implementation prints and halts or
 * reboots, the kdump module adds panic_cpu, stopping the other CPUs and crash_kexec.
 */
public interface Panic {
    /**
     * panic() on {@code cpu}. Returns once the CPU has been put on its final course (halted,
     * reset scheduled); the caller must not continue the interrupted code.
     */
    void panic(int cpu, String message);

    /** Whether any CPU has called panic(). */
    boolean inProgress();

    /** The CPU that owns the panic (panic_cpu), or -1. */
    int panicCpu();

    /** Install the kdump handoff panic() tries before stopping the machine itself. */
    void setCrashKexec(CrashKexec crashKexec);

    /**
     * What a CPU does when it calls panic() while another CPU owns the panic: panic_smp_self_stop,
     * or in NMI context nmi_panic_self_stop (kdump makes that check in with the crash stop).
     */
    void setSelfStop(SelfStop selfStop);

    /**
     * Replace panic() as a whole, panic_cpu included: a profile whose panic() orders its steps
     * differently (the rt printk's console flush before crash_kexec) installs its own.
     */
    void setPanicPath(PanicPath path);

    /** A whole panic(): called for every CPU that calls panic() or nmi_panic(). */
    @FunctionalInterface
    interface PanicPath {
        void panic(int cpu, String message, boolean inNmi);
    }

    /** The stop of a CPU that lost the race for panic_cpu. */
    @FunctionalInterface
    interface SelfStop {
        void stop(int cpu, boolean inNmi);
    }
}
