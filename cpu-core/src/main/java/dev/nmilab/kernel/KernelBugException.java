package dev.nmilab.kernel;

import java.util.OptionalInt;

/**
 * A BUG()/BUG_ON() that fired in modelled kernel code. It is not a Java assertion: the runtime
 * catches it and executes a real {@code ud2} at the call site, so the emulated CPU takes #UD and
 * the kernel's do_error_trap()/report_bug() path prints the familiar "kernel BUG at file:line!"
 * (lib/bug.c report_bug). {@code file} and {@code line} are where the macro was expanded in the
 * modelled kernel version, because __FILE__/__LINE__ in BUG() resolve at the expansion site.
 */
public final class KernelBugException extends RuntimeException {
    private final String file;
    private final int line;
    private final String condition;

    /** A BUG whose line in the modelled source is known. */
    public KernelBugException(String file, int line, String condition) {
        super(reportLine(file, line) + " (BUG_ON(" + condition + "))");
        if (line <= 0) {
            throw new IllegalArgumentException("line must be positive, was " + line);
        }
        this.file = file;
        this.line = line;
        this.condition = condition;
    }

    /** A BUG whose line could not be pinned to the modelled version; only the file is reported. */
    public KernelBugException(String file, String condition) {
        super(reportLine(file, 0) + " (BUG_ON(" + condition + "))");
        this.file = file;
        this.line = 0;
        this.condition = condition;
    }

    public String file() {
        return file;
    }

    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    /** The BUG_ON condition as written in the kernel source, e.g. {@code in_nmi() == NMI_MASK}. */
    public String condition() {
        return condition;
    }

    /** The line report_bug() prints, "kernel BUG at kernel/entry/common.c:453!". */
    public String kernelMessage() {
        return reportLine(file, line);
    }

    private static String reportLine(String file, int line) {
        return line > 0 ? "kernel BUG at " + file + ":" + line + "!" : "kernel BUG at " + file + "!";
    }
}
