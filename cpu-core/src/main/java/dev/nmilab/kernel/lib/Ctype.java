package dev.nmilab.kernel.lib;

/** The character classes of lib/ctype.c that the parsers here need (Latin-1, like the kernel's table). */
public final class Ctype {
    private Ctype() {
    }

    /** isspace(): HT, LF, VT, FF, CR, space, and Latin-1 NBSP (0xA0) which lib/ctype.c also marks _S. */
    public static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || c == '\u00a0';
    }

    public static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    public static boolean isXdigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Index of the first non-space character at or after {@code from} (skip_spaces in lib/string_helpers.c). */
    public static int skipSpaces(CharSequence text, int from) {
        int i = from;
        while (i < text.length() && isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
