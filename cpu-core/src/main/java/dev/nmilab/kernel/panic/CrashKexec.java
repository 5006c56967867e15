package dev.nmilab.kernel.panic;

/**
 * __crash_kexec as panic() sees it (kernel/kexec_core.c): when a crash image is loaded, it takes
 * the panic CPU over (stopping the others, saving registers, jumping to the capture kernel) and
 * panic() goes no further; otherwise it returns false and panic() carries on.
 */
@FunctionalInterface
public interface CrashKexec {
    boolean crashKexec(int cpu);
}
