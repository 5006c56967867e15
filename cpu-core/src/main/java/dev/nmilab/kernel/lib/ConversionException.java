package dev.nmilab.kernel.lib;

import dev.nmilab.kernel.Errno;

/** A lib/kstrtox.c style conversion that failed; carries the errno the kernel function returns. */
public final class ConversionException extends RuntimeException {
    private final Errno errno;
    private final String text;

    public ConversionException(Errno errno, String text, String function) {
        super(function + "(\"" + text + "\") returns " + errno.asReturn());
        this.errno = errno;
        this.text = text;
    }

    public Errno errno() {
        return errno;
    }

    public String text() {
        return text;
    }
}
