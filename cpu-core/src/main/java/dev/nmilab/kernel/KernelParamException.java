package dev.nmilab.kernel;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A kernel parameter (boot command line option, crashkernel= value, cpu list...) that the
 * modelled kernel would reject. The message is one line and uses the kernel's own wording where
 * the kernel has one; the offending text, the parameter and the offset are kept for callers
 * that want to point at them.
 */
public final class KernelParamException extends RuntimeException {
    private final String param;
    private final String offendingText;
    private final int offset;

    public KernelParamException(String message, String param, String offendingText) {
        this(message, param, offendingText, -1);
    }

    public KernelParamException(String message, String param, String offendingText, int offset) {
        super(message);
        this.param = param;
        this.offendingText = offendingText;
        this.offset = offset;
    }

    /** The parameter name as written on the command line, when the error belongs to one. */
    public Optional<String> param() {
        return Optional.ofNullable(param);
    }

    public String offendingText() {
        return offendingText;
    }

    /** Offset of the offending character inside {@link #offendingText()}, when known. */
    public OptionalInt offset() {
        return offset < 0 ? OptionalInt.empty() : OptionalInt.of(offset);
    }
}
