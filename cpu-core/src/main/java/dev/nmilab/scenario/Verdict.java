package dev.nmilab.scenario;

/** How a run ended; a scenario's {@code expect:} names one, and report.json gives the actual one. */
public enum Verdict {
    /** The capture kernel saved a vmcore. */
    VMCORE_SAVED,
    /** No CPU made progress until the time or instruction limit. */
    HANG,
    /** The machine reset (a triple fault, or a panic that reboots). */
    RESET,
    /** Every CPU stopped for good without a reset or a saved vmcore. */
    HALTED,
    /** The run reached its limit with the machine still working. */
    SURVIVED
}
