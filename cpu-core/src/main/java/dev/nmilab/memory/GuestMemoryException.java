package dev.nmilab.memory;

/** An access to a guest address that no memory backs. */
public final class GuestMemoryException extends RuntimeException {
    private final long address;
    private final long length;

    public GuestMemoryException(long address, long length, String what) {
        super(String.format("%s: no memory at 0x%x (+%d bytes)", what, address, length));
        this.address = address;
        this.length = length;
    }

    public long address() {
        return address;
    }

    public long length() {
        return length;
    }
}
