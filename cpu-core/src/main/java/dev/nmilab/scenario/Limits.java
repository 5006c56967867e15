package dev.nmilab.scenario;

/** When a run stops if nothing else ended it: virtual time and total instructions over all CPUs. */
public record Limits(long timeNanos, long instructions) {

    public static final long DEFAULT_TIME_NANOS = 10_000_000_000L;
    public static final long DEFAULT_INSTRUCTIONS = 1_000_000_000L;

    public static final Limits DEFAULTS = new Limits(DEFAULT_TIME_NANOS, DEFAULT_INSTRUCTIONS);

    public Limits {
        if (timeNanos < 1 || instructions < 1) {
            throw new IllegalArgumentException("limits must be positive: time=" + timeNanos + " instructions=" + instructions);
        }
    }
}
