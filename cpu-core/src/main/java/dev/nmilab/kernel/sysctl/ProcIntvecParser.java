package dev.nmilab.kernel.sysctl;

import dev.nmilab.kernel.lib.Ctype;
import dev.nmilab.kernel.lib.Kstrtox;

/**
 * The number reading of __do_proc_dointvec() and proc_get_long() in kernel/sysctl.c (Linux 6.1):
 * spaces are skipped, an optional '-', then a digit is required, the number is read with base
 * auto-detection (strtoul_lenient, so 0x10 and 010 work), and it must be followed by a space, tab,
 * newline or the end of the buffer. At most 21 characters are looked at per number (TMPBUFLEN - 1),
 * so longer numbers are refused rather than misread. Every refusal is -EINVAL.
 */
final class ProcIntvecParser {
    private static final int TMPBUFLEN = 22;

    /** One number read from the buffer: its sign, its magnitude (unsigned long) and where reading stopped. */
    record ProcLong(boolean negative, long magnitude, int end) {
    }

    private final String buffer;
    private int position;

    ProcIntvecParser(String buffer) {
        this.buffer = buffer;
    }

    /** proc_skip_spaces(); true when something other than spaces is left. */
    boolean skipSpaces() {
        position = Ctype.skipSpaces(buffer, position);
        return position < buffer.length();
    }

    /** proc_get_long() with proc_wspace_sep as the allowed terminators; null means -EINVAL. */
    ProcLong nextLong() {
        int remaining = buffer.length() - position;
        String window = buffer.substring(position, position + Math.min(remaining, TMPBUFLEN - 1));
        int p = 0;
        boolean negative = false;
        if (window.charAt(0) == '-' && remaining > 1) {
            negative = true;
            p++;
        }
        if (p >= window.length() || !Ctype.isDigit(window.charAt(p))) {
            return null;
        }
        Kstrtox.PartialParse parsed = Kstrtox.simpleStrtoull(window, p, 0);
        if (parsed.overflow()) {
            return null;
        }
        int consumed = parsed.end();
        if (consumed == TMPBUFLEN - 1) {
            return null;
        }
        if (consumed < remaining) {
            char terminator = buffer.charAt(position + consumed);
            if (terminator != ' ' && terminator != '\t' && terminator != '\n') {
                return null;
            }
        }
        position += consumed;
        return new ProcLong(negative, parsed.value(), position);
    }
}
