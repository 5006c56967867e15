package dev.nmilab.kernel;

/**
 * The few errno values the modelled kernel paths return (include/uapi/asm-generic/errno-base.h
 * and errno.h). Kept as an enum so messages can say "-EINVAL" the way kernel code and strace do.
 */
public enum Errno {
    ENOENT(2),
    EINVAL(22),
    ERANGE(34),
    EOVERFLOW(75);

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The negative return value a kernel function hands back, e.g. -22. */
    public int negative() {
        return -number;
    }

    /** "-EINVAL", as kernel messages and comments write it. */
    public String asReturn() {
        return "-" + name();
    }
}
