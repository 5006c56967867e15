package dev.nmilab.scenario;

/**
 * Whether an event type acts on one CPU. Three states rather than a yes/no because some types
 * have a sensible default CPU (sysrq runs on CPU 0 unless told) and some have none at all (a
 * sysctl write is machine-wide). A trigger that counts on a CPU ({@code insn}, {@code symbol})
 * needs {@code cpu} whatever the type says.
 */
public enum CpuUse {
    /** {@code cpu} must be given. */
    REQUIRED,
    /** {@code cpu} may be given; the type picks a default otherwise. */
    OPTIONAL,
    /** {@code cpu} is meaningless for the event itself; only a trigger may ask for one. */
    NONE
}
