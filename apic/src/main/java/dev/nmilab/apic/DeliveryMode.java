package dev.nmilab.apic;

/**
 * The delivery mode field (bits 8-10) of the ICR and of the LVT entries that have one
 * (Intel SDM vol. 3, 11.5.1 and 11.6.1; Linux's APIC_DM_* in apicdef.h).
 */
public enum DeliveryMode {
    FIXED(0),
    LOWEST_PRIORITY(1),
    SMI(2),
    /** Reserved since the Pentium 4 (remote read). */
    REMOTE_READ(3),
    NMI(4),
    INIT(5),
    STARTUP(6),
    EXTINT(7);

    private final int code;

    DeliveryMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The mode as bits 8-10 of an ICR or LVT value. */
    public int bits() {
        return code << 8;
    }

    /** The mode encoded in bits 8-10 of {@code value}. */
    public static DeliveryMode of(int value) {
        int code = (value >> 8) & 7;
        for (DeliveryMode mode : values()) {
            if (mode.code == code) {
                return mode;
            }
        }
        throw new AssertionError("three bits always decode: " + code);
    }
}
