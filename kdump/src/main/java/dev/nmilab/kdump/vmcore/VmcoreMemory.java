package dev.nmilab.kdump.vmcore;

import dev.nmilab.memory.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A vmcore's memory as {@link GuestMemory}, so readers of emulated memory (PrintkRingbuffer.read, PageWalk) read dumps too. */
final class VmcoreMemory implements GuestMemory {
    private final VmcoreReader reader;
    private final boolean physicalOnly;

    VmcoreMemory(VmcoreReader reader, boolean physicalOnly) {
        this.reader = reader;
        this.physicalOnly = physicalOnly;
    }

    private boolean virtual(long address) {
        return !physicalOnly && address < 0;
    }

    @Override
    public void read(long address, byte[] into, int offset, int length) {
        reader.read(address, into, offset, length, virtual(address));
    }

    private ByteBuffer bytes(long address, int length) {
        byte[] bytes = new byte[length];
        read(address, bytes, 0, length);
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public byte readByte(long address) {
        return bytes(address, 1).get(0);
    }

    @Override
    public short readShort(long address) {
        return bytes(address, 2).getShort(0);
    }

    @Override
    public int readInt(long address) {
        return bytes(address, 4).getInt(0);
    }

    @Override
    public long readLong(long address) {
        return bytes(address, 8).getLong(0);
    }

    @Override
    public boolean isBacked(long address, long length) {
        return !(physicalOnly && address < 0) && reader.isDumped(address, length);
    }

    @Override
    public void write(long address, byte[] from, int offset, int length) {
        throw readOnly();
    }

    @Override
    public void writeByte(long address, byte value) {
        throw readOnly();
    }

    @Override
    public void writeShort(long address, short value) {
        throw readOnly();
    }

    @Override
    public void writeInt(long address, int value) {
        throw readOnly();
    }

    @Override
    public void writeLong(long address, long value) {
        throw readOnly();
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("a vmcore is read-only");
    }
}
