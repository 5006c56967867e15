package dev.nmilab.unicorn;

/**
 * A Java hook threw while the engine was running. The throw never crosses the native
 * frame (that would end the JVM): it is caught in the upcall, emulation is stopped,
 * and this exception carries it out of {@link Unicorn#emuStart}.
 */
public final class HookFailedException extends RuntimeException {
    private final long guestRip;

    public HookFailedException(long guestRip, Throwable cause) {
        super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        this.guestRip = guestRip;
    }

    public long guestRip() {
        return guestRip;
    }
}
