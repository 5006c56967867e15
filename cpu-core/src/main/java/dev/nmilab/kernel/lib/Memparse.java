package dev.nmilab.kernel.lib;

import dev.nmilab.kernel.Errno;

/**
 * memparse() from lib/cmdline.c: a number (base auto-detected like simple_strtoull) optionally
 * followed by one of K, M, G, T, P, E (either case), each a further factor of 1024.
 */
public final class Memparse {
    private Memparse() {
    }

    /**
     * What memparse() read: the value, the index after the number and its suffix, and whether
     * the value overflowed 64 bits (the kernel silently wraps; callers here refuse it).
     */
    public record Result(long value, int end, boolean overflow) {
        public boolean consumedNothing(int from) {
            return end == from;
        }
    }

    /** memparse(s + from, &end): never fails; {@code end == from} when there was no number. */
    public static Result memparse(String s, int from) {
        Kstrtox.PartialParse number = Kstrtox.simpleStrtoull(s, from, 0);
        if (number.consumedNothing(from)) {
            return new Result(0, from, false);
        }
        int end = number.end();
        int shift = end < s.length() ? suffixShift(s.charAt(end)) : 0;
        long value = number.value();
        boolean overflow = number.overflow();
        if (shift > 0) {
            end++;
            overflow |= shift < 64 && Long.numberOfLeadingZeros(value) < shift && value != 0;
            value <<= shift;
        }
        return new Result(value, end, overflow);
    }

    /** memparse() over the whole string: any character left over, or overflow, is an error. */
    public static long memparseStrict(String s) {
        Result result = memparse(s, 0);
        if (result.consumedNothing(0) || result.end() != s.length()) {
            throw new ConversionException(Errno.EINVAL, s, "memparse");
        }
        if (result.overflow()) {
            throw new ConversionException(Errno.ERANGE, s, "memparse");
        }
        return result.value();
    }

    /** Binary shift of a memparse suffix, 0 when the character is not one. */
    public static int suffixShift(char c) {
        return switch (Character.toUpperCase(c)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            case 'P' -> 50;
            case 'E' -> 60;
            default -> 0;
        };
    }
}
