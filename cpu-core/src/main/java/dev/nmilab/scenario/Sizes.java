package dev.nmilab.scenario;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory sizes as the kernel's {@code memparse()} spells them: a whole number with an optional
 * binary suffix K, M, G or T (either case); no suffix means bytes.
 */
public final class Sizes {

    static final String EXAMPLES = "a size like 256M, 4G or 1T";

    private static final Pattern SIZE = Pattern.compile("(\\d+)([KkMmGgTt]?)");
    private static final String SUFFIXES = "KMGT";

    private Sizes() {
    }

    /**
     * Parses {@code text} to bytes.
     *
     * @throws IllegalArgumentException whose message starts with "expected"
     */
    public static long parseBytes(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected " + EXAMPLES);
        }
        int shift = m.group(2).isEmpty() ? 0 : 10 * (SUFFIXES.indexOf(Character.toUpperCase(m.group(2).charAt(0))) + 1);
        BigInteger bytes = new BigInteger(m.group(1)).shiftLeft(shift);
        if (bytes.bitLength() > 63) {
            throw new IllegalArgumentException("expected a size below 8192P");
        }
        return bytes.longValueExact();
    }

    /** The shortest exact spelling with an upper-case suffix: 268435456 → {@code 256M}. */
    public static String format(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size " + bytes);
        }
        for (int i = SUFFIXES.length() - 1; i >= 0; i--) {
            long unit = 1L << (10 * (i + 1));
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + String.valueOf(SUFFIXES.charAt(i));
            }
        }
        return Long.toString(bytes);
    }
}
