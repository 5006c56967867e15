package dev.nmilab.scenario;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Virtual-time durations, exact to the nanosecond: {@code 250ns}, {@code 1500us}, {@code 2s}.
 * Decimals are allowed with {@code s} and {@code ms} only, and only when they name a whole number
 * of nanoseconds ({@code 0.5s}, {@code 1.25ms}); nothing is ever rounded.
 */
public final class Durations {

    static final String EXAMPLES = "a duration like 2s, 1500us or 250ns";

    private static final Pattern DURATION = Pattern.compile("(\\d+)(\\.\\d+)?(ns|us|ms|s)");
    private static final String[] UNITS = {"s", "ms", "us", "ns"};
    private static final long[] NANOS_PER_UNIT = {1_000_000_000L, 1_000_000L, 1_000L, 1L};

    private Durations() {
    }

    /**
     * Parses {@code text} to nanoseconds.
     *
     * @throws IllegalArgumentException whose message starts with "expected" and says what would
     *     have been accepted (without echoing the text, which the caller quotes)
     */
    public static long parseNanos(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected " + EXAMPLES);
        }
        String unit = m.group(3);
        boolean hasFraction = m.group(2) != null;
        if (hasFraction && (unit.equals("ns") || unit.equals("us"))) {
            throw new IllegalArgumentException("expected " + EXAMPLES + " (decimals only with s or ms)");
        }
        BigDecimal nanos = new BigDecimal(m.group(1) + (hasFraction ? m.group(2) : ""))
                .multiply(BigDecimal.valueOf(nanosPerUnit(unit)));
        BigInteger whole;
        try {
            whole = nanos.toBigIntegerExact();
        } catch (ArithmeticException notWhole) {
            throw new IllegalArgumentException("expected a duration in whole nanoseconds", notWhole);
        }
        if (whole.bitLength() > 63) {
            throw new IllegalArgumentException("expected a duration of at most " + Long.MAX_VALUE + "ns");
        }
        return whole.longValueExact();
    }

    /** The shortest exact spelling: 2000000000 → {@code 2s}, 1500000 → {@code 1500us}, 0 → {@code 0s}. */
    public static String format(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative duration " + nanos);
        }
        if (nanos == 0) {
            return "0s";
        }
        for (int i = 0; i < UNITS.length; i++) {
            if (nanos % NANOS_PER_UNIT[i] == 0) {
                return nanos / NANOS_PER_UNIT[i] + UNITS[i];
            }
        }
        throw new AssertionError("every count of nanoseconds divides by 1");
    }

    private static long nanosPerUnit(String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return NANOS_PER_UNIT[i];
            }
        }
        throw new IllegalArgumentException("unknown unit " + unit);
    }
}
