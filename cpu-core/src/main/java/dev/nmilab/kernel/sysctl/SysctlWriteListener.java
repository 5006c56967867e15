package dev.nmilab.kernel.sysctl;

/**
 * Told after a write changed a sysctl, the way a custom proc handler reacts in the kernel
 * (proc_watchdog_thresh() reconfigures the lockup detectors, for example).
 */
@FunctionalInterface
public interface SysctlWriteListener {
    void written(String name, Sysctls sysctls);
}
