package dev.nmilab.kernel.testing;

import dev.nmilab.memory.GuestMemory;
import dev.nmilab.memory.GuestMemoryException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Guest memory backed by one byte array mapped at {@code base}; for tests of code that only needs memory. */
public final class ByteArrayGuestMemory implements GuestMemory {
    private final long base;
    private final ByteBuffer bytes;

    public ByteArrayGuestMemory(long base, int size) {
        this.base = base;
        this.bytes = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public boolean isBacked(long address, long length) {
        return length >= 0 && address >= base && address - base + length <= bytes.capacity();
    }

    private int offset(long address, long length, String what) {
        if (!isBacked(address, length)) {
            throw new GuestMemoryException(address, length, what);
        }
        return (int) (address - base);
    }

    @Override
    public void read(long address, byte[] into, int offset, int length) {
        bytes.get(offset(address, length, "read"), into, offset, length);
    }

    @Override
    public void write(long address, byte[] from, int offset, int length) {
        bytes.put(offset(address, length, "write"), from, offset, length);
    }

    @Override
    public byte readByte(long address) {
        return bytes.get(offset(address, 1, "read"));
    }

    @Override
    public void writeByte(long address, byte value) {
        bytes.put(offset(address, 1, "write"), value);
    }

    @Override
    public short readShort(long address) {
        return bytes.getShort(offset(address, 2, "read"));
    }

    @Override
    public void writeShort(long address, short value) {
        bytes.putShort(offset(address, 2, "write"), value);
    }

    @Override
    public int readInt(long address) {
        return bytes.getInt(offset(address, 4, "read"));
    }

    @Override
    public void writeInt(long address, int value) {
        bytes.putInt(offset(address, 4, "write"), value);
    }

    @Override
    public long readLong(long address) {
        return bytes.getLong(offset(address, 8, "read"));
    }

    @Override
    public void writeLong(long address, long value) {
        bytes.putLong(offset(address, 8, "write"), value);
    }
}
