package dev.nmilab.kdump.printk;

/**
 * Where two printk generations differ on the way from a panic to kdump.
 *
 * @param ownership how a console printer keeps others off the UART while it writes a record
 * @param panicCpuGuard whether a second CPU calling panic()/nmi_panic() stops itself (panic_cpu)
 * @param prFlushInTask whether panic() first waits for the printer kthreads when it may sleep (pr_flush)
 * @param stopInsideConsoleFlush whether the other CPUs are stopped, and waited for, before the panic
 *        CPU lets go of printk_cpu_sync after its console flush
 * @param panicCpuOwnsRing whether printk() from other CPUs stores nothing once a panic is in progress
 */
public record PrintkFlavor(String name, ConsoleOwnership ownership, boolean panicCpuGuard, boolean prFlushInTask,
        boolean stopInsideConsoleFlush, boolean panicCpuOwnsRing) {
    /**
     * The rt printk (linux-rt-devel before nbcon) as the talk's RHEL 9 kernel-5.14.0-285 carried it:
     * the 8250 write takes printk_cpu_sync, panic() flushes the log atomically before crash_kexec
     * and does not guard panic_cpu; see the README's "NMI panic with the rt printk" for the sources.
     */
    public static final PrintkFlavor RT_PRINTK_285 = new PrintkFlavor("rt printk (kernel-5.14.0-285)",
            ConsoleOwnership.CPU_SYNC, false, true, true, false);

    /**
     * nbcon (6.6-rt and later): console ownership with panic takeover, panic_cpu guarded, no
     * printk_cpu_sync, and non-panic CPUs kept out of the ring during a panic.
     */
    public static final PrintkFlavor NBCON = new PrintkFlavor("nbcon (6.6-rt)", ConsoleOwnership.NBCON, true, false,
            false, true);
}
