package dev.nmilab.cli;

import java.io.Serial;

/** A crash command that cannot be answered from its arguments and the vmcore; the message is one line. */
final class CrashInputException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    CrashInputException(String message) {
        super(message);
    }
}
