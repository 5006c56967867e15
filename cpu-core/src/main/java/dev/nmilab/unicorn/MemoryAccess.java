package dev.nmilab.unicorn;

/** uc_mem_type: what kind of access a memory hook saw. */
public enum MemoryAccess {
    READ(16), WRITE(17), FETCH(18),
    READ_UNMAPPED(19), WRITE_UNMAPPED(20), FETCH_UNMAPPED(21),
    WRITE_PROT(22), READ_PROT(23), FETCH_PROT(24),
    READ_AFTER(25);

    final int code;

    MemoryAccess(int code) {
        this.code = code;
    }

    static MemoryAccess of(int code) {
        for (MemoryAccess access : values()) {
            if (access.code == code) {
                return access;
            }
        }
        throw new IllegalArgumentException("unknown uc_mem_type " + code);
    }

    public boolean isWrite() {
        return this == WRITE || this == WRITE_UNMAPPED || this == WRITE_PROT;
    }

    public boolean isFetch() {
        return this == FETCH || this == FETCH_UNMAPPED || this == FETCH_PROT;
    }
}
