package dev.nmilab.kernel.lib;

import dev.nmilab.kernel.Errno;

/**
 * String to integer conversions as lib/kstrtox.c (Linux 6.1) does them. The strict kstrto*()
 * family accepts the whole string or fails (one trailing newline allowed); simple_strtoull()
 * stops at the first non-digit and reports where. Base 0 means auto-detect: "0x" hex, "0" octal,
 * decimal otherwise (_parse_integer_fixup_radix).
 */
public final class Kstrtox {
    private Kstrtox() {
    }

    /**
     * Result of _parse_integer(): the value (unsigned 64-bit, wrapped on overflow like the kernel's),
     * how many digits were consumed, and whether the value overflowed.
     */
    public record ParsedInteger(long value, int digits, boolean overflow) {
    }

    /** Result of simple_strtoull(): the value and the index just after the last character used. */
    public record PartialParse(long value, int end, boolean overflow) {
        public boolean consumedNothing(int from) {
            return end == from;
        }
    }

    /** simple_strtoull(s + from, &end, base); never fails, {@code end == from} when no digit was read. */
    public static PartialParse simpleStrtoull(String s, int from, int base) {
        int[] baseHolder = {base};
        int digitsStart = fixupRadix(s, from, baseHolder);
        ParsedInteger parsed = parseInteger(s, digitsStart, baseHolder[0]);
        // Like the kernel, a "0x" prefix skipped for an explicit base 16 counts as consumed.
        return new PartialParse(parsed.value(), digitsStart + parsed.digits(), parsed.overflow());
    }

    /** kstrtoint(s, base, &res): the whole string must be an int (optional sign, one trailing '\n'). */
    public static int kstrtoint(String s, int base) {
        long value = kstrtoll(s, base, "kstrtoint");
        if (value != (int) value) {
            throw new ConversionException(Errno.ERANGE, s, "kstrtoint");
        }
        return (int) value;
    }

    /** kstrtoll(s, base, &res). */
    public static long kstrtoll(String s, int base) {
        return kstrtoll(s, base, "kstrtoll");
    }

    /** kstrtoull(s, base, &res); the result is unsigned, read it with Long.toUnsignedString. */
    public static long kstrtoull(String s, int base) {
        String digits = s.startsWith("+") ? s.substring(1) : s;
        return strictUnsigned(digits, s, base, "kstrtoull");
    }

    /**
     * kstrtobool(): looks only at the first one or two characters, exactly like the kernel, so
     * "yes", "Y", "1", "true", "on" are true and "no", "N", "0", "false", "off" are false (6.1 has
     * no 'e'/'d' for enable/disable; those arrived much later).
     */
    public static boolean kstrtobool(String s) {
        if (s == null || s.isEmpty()) {
            throw new ConversionException(Errno.EINVAL, s == null ? "" : s, "kstrtobool");
        }
        switch (s.charAt(0)) {
            case 'y', 'Y', 't', 'T', '1':
                return true;
            case 'n', 'N', 'f', 'F', '0':
                return false;
            case 'o', 'O':
                if (s.length() > 1) {
                    char second = s.charAt(1);
                    if (second == 'n' || second == 'N') {
                        return true;
                    }
                    if (second == 'f' || second == 'F') {
                        return false;
                    }
                }
                break;
            default:
                break;
        }
        throw new ConversionException(Errno.EINVAL, s, "kstrtobool");
    }

    /** _parse_integer(): consume digits of {@code base} from {@code from}; value wraps like the C code. */
    public static ParsedInteger parseInteger(String s, int from, int base) {
        long result = 0;
        boolean overflow = false;
        int i = from;
        while (i < s.length()) {
            int digit = digitValue(s.charAt(i));
            if (digit < 0 || digit >= base) {
                break;
            }
            if (Long.compareUnsigned(result, Long.divideUnsigned(-1L - digit, base)) > 0) {
                overflow = true;
            }
            result = result * base + digit;
            i++;
        }
        return new ParsedInteger(result, i - from, overflow);
    }

    private static long kstrtoll(String s, int base, String function) {
        if (s.startsWith("-")) {
            long magnitude = strictUnsigned(s.substring(1), s, base, function);
            if (-magnitude > 0) {
                throw new ConversionException(Errno.ERANGE, s, function);
            }
            return -magnitude;
        }
        String digits = s.startsWith("+") ? s.substring(1) : s;
        long value = strictUnsigned(digits, s, base, function);
        if (value < 0) {
            throw new ConversionException(Errno.ERANGE, s, function);
        }
        return value;
    }

    /** _kstrtoull(): digits, then at most one '\n', then nothing. */
    private static long strictUnsigned(String digits, String original, int base, String function) {
        int[] baseHolder = {base};
        int start = fixupRadix(digits, 0, baseHolder);
        ParsedInteger parsed = parseInteger(digits, start, baseHolder[0]);
        if (parsed.overflow()) {
            throw new ConversionException(Errno.ERANGE, original, function);
        }
        if (parsed.digits() == 0) {
            throw new ConversionException(Errno.EINVAL, original, function);
        }
        int end = start + parsed.digits();
        if (end < digits.length() && digits.charAt(end) == '\n') {
            end++;
        }
        if (end != digits.length()) {
            throw new ConversionException(Errno.EINVAL, original, function);
        }
        return parsed.value();
    }

    /** _parse_integer_fixup_radix(): resolves base 0 and skips a "0x" prefix for base 16. */
    private static int fixupRadix(String s, int from, int[] base) {
        char c0 = charAt(s, from);
        char c1 = Character.toLowerCase(charAt(s, from + 1));
        if (base[0] == 0) {
            if (c0 == '0') {
                base[0] = c1 == 'x' && Ctype.isXdigit(charAt(s, from + 2)) ? 16 : 8;
            } else {
                base[0] = 10;
            }
        }
        if (base[0] == 16 && c0 == '0' && c1 == 'x') {
            return from + 2;
        }
        return from;
    }

    private static char charAt(String s, int index) {
        return index < s.length() ? s.charAt(index) : '\0';
    }

    private static int digitValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = Character.toLowerCase(c);
        if (lower >= 'a' && lower <= 'f') {
            return lower - 'a' + 10;
        }
        return -1;
    }
}
