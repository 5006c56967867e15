package dev.nmilab.unicorn;

import java.io.Serial;

/**
 * The guest asked for something Unicorn 2.0.1 would answer by aborting the whole process (see
 * {@link dev.nmilab.x86.decode.EngineAborts}): the run stops with this instead.
 */
public final class EngineLimitException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public EngineLimitException(String message) {
        super(message);
    }
}
