package dev.nmilab.memory;

/**
 * Little-endian access to emulated memory by guest address (the address as the
 * emulated CPUs see it). Every method throws {@link GuestMemoryException} for an
 * address range that is not backed; none of them can touch host memory outside
 * the emulated machine.
 */
public interface GuestMemory {
    void read(long address, byte[] into, int offset, int length);

    void write(long address, byte[] from, int offset, int length);

    default byte[] read(long address, int length) {
        byte[] bytes = new byte[length];
        read(address, bytes, 0, length);
        return bytes;
    }

    default void write(long address, byte[] bytes) {
        write(address, bytes, 0, bytes.length);
    }

    byte readByte(long address);

    void writeByte(long address, byte value);

    short readShort(long address);

    void writeShort(long address, short value);

    int readInt(long address);

    void writeInt(long address, int value);

    long readLong(long address);

    void writeLong(long address, long value);

    /** True when every byte of [address, address+length) is backed. */
    boolean isBacked(long address, long length);
}
