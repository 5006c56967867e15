package dev.nmilab.unicorn;

/** How a run of the engine ended, for the endings the guest itself causes. */
public enum EmuStatus {
    OK(0),
    READ_UNMAPPED(UnicornException.UC_ERR_READ_UNMAPPED),
    WRITE_UNMAPPED(UnicornException.UC_ERR_WRITE_UNMAPPED),
    FETCH_UNMAPPED(UnicornException.UC_ERR_FETCH_UNMAPPED),
    WRITE_PROT(UnicornException.UC_ERR_WRITE_PROT),
    READ_PROT(UnicornException.UC_ERR_READ_PROT),
    FETCH_PROT(UnicornException.UC_ERR_FETCH_PROT),
    INSN_INVALID(UnicornException.UC_ERR_INSN_INVALID),
    EXCEPTION(UnicornException.UC_ERR_EXCEPTION);

    final int code;

    EmuStatus(int code) {
        this.code = code;
    }

    static EmuStatus of(int code) {
        for (EmuStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        return null;
    }

    public boolean isMemoryFault() {
        return this != OK && this != INSN_INVALID && this != EXCEPTION;
    }
}
