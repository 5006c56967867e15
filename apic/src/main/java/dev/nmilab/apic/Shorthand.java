package dev.nmilab.apic;

/** The destination shorthand of the ICR, bits 18-19 (Intel SDM vol. 3, 11.6.1). */
public enum Shorthand {
    /** The destination field (ICR high bits 24-31) names the target. */
    NONE(0),
    SELF(1),
    ALL_INCLUDING_SELF(2),
    ALL_EXCLUDING_SELF(3);

    private final int code;

    Shorthand(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The shorthand as bits 18-19 of the ICR low word. */
    public int bits() {
        return code << 18;
    }

    public static Shorthand of(int icrLow) {
        return values()[(icrLow >> 18) & 3];
    }
}
