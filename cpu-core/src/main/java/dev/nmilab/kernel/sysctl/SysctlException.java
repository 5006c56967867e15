package dev.nmilab.kernel.sysctl;

import dev.nmilab.kernel.Errno;
import java.util.Optional;

/** A sysctl write or lookup the kernel would refuse: no such file, or a value the handler rejects. */
public final class SysctlException extends RuntimeException {
    private final String name;
    private final String value;
    private final Errno errno;

    SysctlException(String message, String name, String value, Errno errno) {
        super(message);
        this.name = name;
        this.value = value;
        this.errno = errno;
    }

    /** The sysctl name as the caller wrote it (dotted, slashed or a /proc/sys path). */
    public String name() {
        return name;
    }

    /** The rejected value, when the error is about a value. */
    public Optional<String> value() {
        return Optional.ofNullable(value);
    }

    /** What the write(2) on /proc/sys would have returned: ENOENT for the lookup, EINVAL for values. */
    public Errno errno() {
        return errno;
    }
}
