package dev.nmilab.unicorn;

/** A Unicorn call that returned an error: names the call, the address and Unicorn's own text. */
public class UnicornException extends RuntimeException {
    private final String call;
    private final int errorCode;

    public UnicornException(String call, long address, int errorCode, String unicornText) {
        super(String.format("%s at 0x%x: %s (uc_err %d)", call, address, unicornText, errorCode));
        this.call = call;
        this.errorCode = errorCode;
    }

    public String call() {
        return call;
    }

    public int errorCode() {
        return errorCode;
    }

    /** Unicorn's uc_err values we react to (unicorn.h). */
    public static final int UC_ERR_READ_UNMAPPED = 6;
    public static final int UC_ERR_WRITE_UNMAPPED = 7;
    public static final int UC_ERR_FETCH_UNMAPPED = 8;
    public static final int UC_ERR_INSN_INVALID = 10;
    public static final int UC_ERR_READ_PROT = 13;
    public static final int UC_ERR_WRITE_PROT = 12;
    public static final int UC_ERR_FETCH_PROT = 14;
    public static final int UC_ERR_EXCEPTION = 21;
}
