package dev.nmilab.unicorn;

/** libunicorn.so.2 could not be loaded: the message says what to install. */
public final class UnicornUnavailableException extends RuntimeException {
    public UnicornUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
