package dev.nmilab.kernel.cmdline;

import dev.nmilab.kernel.lib.Ctype;
import java.util.Optional;

/**
 * next_arg() from lib/cmdline.c (Linux 6.1), on a Java string instead of a mutable char buffer.
 * The kernel cuts strings by writing NULs; here the same cuts are index arithmetic:
 * <ul>
 * <li>a leading '"' opens a quote that covers the whole argument and is dropped;</li>
 * <li>spaces end the argument only outside quotes; every '"' toggles the quote state;</li>
 * <li>the first '=' (not at offset 0, the C code uses 0 for "none") splits name from value;</li>
 * <li>a value starting with '"' loses that quote, and the argument's last character is dropped
 *     when it is a '"' (so {@code foo="bar baz"} and {@code "foo=bar baz"} both give
 *     {@code bar baz});</li>
 * <li>quotes elsewhere stay in the text: you can use " around spaces, but can't escape ".</li>
 * </ul>
 */
final class CommandLineTokenizer {
    private final String line;
    private int position;

    CommandLineTokenizer(String line) {
        this.line = line;
        this.position = Ctype.skipSpaces(line, 0);
    }

    boolean hasNext() {
        return position < line.length();
    }

    /** Index of the first character not yet read, after spaces; what parse_args() returns after "--". */
    int position() {
        return position;
    }

    KernelParam next() {
        int start = position;
        boolean quoted = false;
        boolean inQuote = false;
        if (line.charAt(start) == '"') {
            start++;
            quoted = true;
            inQuote = true;
        }
        int equals = 0;
        int i = start;
        for (; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Ctype.isSpace(c) && !inQuote) {
                break;
            }
            if (equals == 0 && c == '=') {
                equals = i - start;
            }
            if (c == '"') {
                inQuote = !inQuote;
            }
        }
        int end = i;
        boolean lastIsQuote = end - 1 >= start && line.charAt(end - 1) == '"';
        position = Ctype.skipSpaces(line, end < line.length() ? end + 1 : end);

        if (equals == 0) {
            int nameEnd = quoted && lastIsQuote ? end - 1 : end;
            return new KernelParam(line.substring(start, nameEnd), Optional.empty());
        }
        String name = line.substring(start, start + equals);
        int valueStart = start + equals + 1;
        int valueEnd = end;
        boolean valueQuoted = valueStart < end && line.charAt(valueStart) == '"';
        if (valueQuoted) {
            valueStart++;
        }
        if ((valueQuoted || quoted) && lastIsQuote) {
            valueEnd = Math.max(valueStart, end - 1);
        }
        return new KernelParam(name, Optional.of(line.substring(valueStart, valueEnd)));
    }
}
