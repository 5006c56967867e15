package dev.nmilab.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** GuestMemory over one host segment whose guest addresses start at {@code base}. */
abstract class SegmentMemory implements GuestMemory {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The host segment and offset backing [address, address+length), or throws. */
    protected abstract MemorySegment segmentFor(long address, long length, String what);

    protected abstract long offsetIn(long address);

    @Override
    public void read(long address, byte[] into, int offset, int length) {
        MemorySegment.copy(segmentFor(address, length, "read"), offsetIn(address), MemorySegment.ofArray(into), offset,
                length);
    }

    @Override
    public void write(long address, byte[] from, int offset, int length) {
        MemorySegment.copy(MemorySegment.ofArray(from), offset, segmentFor(address, length, "write"), offsetIn(address),
                length);
    }

    @Override
    public byte readByte(long address) {
        return segmentFor(address, 1, "read").get(ValueLayout.JAVA_BYTE, offsetIn(address));
    }

    @Override
    public void writeByte(long address, byte value) {
        segmentFor(address, 1, "write").set(ValueLayout.JAVA_BYTE, offsetIn(address), value);
    }

    @Override
    public short readShort(long address) {
        return segmentFor(address, 2, "read").get(SHORT, offsetIn(address));
    }

    @Override
    public void writeShort(long address, short value) {
        segmentFor(address, 2, "write").set(SHORT, offsetIn(address), value);
    }

    @Override
    public int readInt(long address) {
        return segmentFor(address, 4, "read").get(INT, offsetIn(address));
    }

    @Override
    public void writeInt(long address, int value) {
        segmentFor(address, 4, "write").set(INT, offsetIn(address), value);
    }

    @Override
    public long readLong(long address) {
        return segmentFor(address, 8, "read").get(LONG, offsetIn(address));
    }

    @Override
    public void writeLong(long address, long value) {
        segmentFor(address, 8, "write").set(LONG, offsetIn(address), value);
    }
}
