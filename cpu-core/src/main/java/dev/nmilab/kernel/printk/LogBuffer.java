package dev.nmilab.kernel.printk;

import dev.nmilab.memory.GuestMemory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel log as records in emulated memory, so a memory dump carries it. nmilab's first
 * layout (the 6.1 printk_ringbuffer comes with the kdump module):
 *
 * <pre>
 *  header  +0 magic "NMILOG01"  +8 next sequence  +16 first sequence kept
 *          +24 write offset  +32 first record offset  +40 data size
 *  record  +0 sequence  +8 timestamp ns  +16 text length (u16)  +18 level (u8)  +19 flags (u8)
 *          +20 caller id (u32: 0x80000000|cpu in NMI/IRQ context, else pid)  +24 text, padded to 8
 * </pre>
 *
 * When a record does not fit before the end, writing wraps to the start and the oldest records
 * it overwrites are dropped, as a ring does.
 */
public final class LogBuffer {
    public static final long MAGIC = 0x3130474f4c494d4eL; // "NMILOG01" little-endian
    public static final int HEADER = 48;
    public static final int RECORD_HEADER = 24;
    public static final int CALLER_CPU_FLAG = 0x8000_0000;
    public static final int MAX_TEXT = 1024;

    private final GuestMemory memory;
    private final long base;
    private final long dataSize;

    public LogBuffer(GuestMemory memory, long base, long size) {
        if (size < HEADER + RECORD_HEADER + MAX_TEXT) {
            throw new IllegalArgumentException("log buffer too small: " + size);
        }
        this.memory = memory;
        this.base = base;
        this.dataSize = (size - HEADER) & ~7L;
        memory.write(base, new byte[HEADER]);
        memory.writeLong(base, MAGIC);
        memory.writeLong(base + 40, dataSize);
    }

    public long base() {
        return base;
    }

    public long nextSequence() {
        return memory.readLong(base + 8);
    }

    public void append(LogRecord record) {
        byte[] text = record.text().getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, MAX_TEXT);
        long recordSize = (RECORD_HEADER + length + 7) & ~7L;
        long write = memory.readLong(base + 24);
        if (write + recordSize > dataSize) {
            // wrap: the unused end belongs to this record (as a wrapping data block does in
            // printk_ringbuffer), so the older records there go before the newer ones at the start
            dropOverwritten(write, dataSize);
            write = 0;
        }
        dropOverwritten(write, write + recordSize);
        long at = base + HEADER + write;
        memory.writeLong(at, record.sequence());
        memory.writeLong(at + 8, record.timestampNs());
        memory.writeShort(at + 16, (short) length);
        memory.writeByte(at + 18, (byte) record.level().level());
        memory.writeByte(at + 19, (byte) 0);
        memory.writeInt(at + 20, record.pid() < 0 ? CALLER_CPU_FLAG | record.cpu() : record.pid());
        memory.write(at + RECORD_HEADER, text, 0, length);
        memory.writeLong(base + 8, record.sequence() + 1);
        memory.writeLong(base + 24, write + recordSize);
        if (record.sequence() == 0) {
            memory.writeLong(base + 16, 0);
            memory.writeLong(base + 32, 0);
        }
    }

    /** Advance the first-record pointer past records that [from, to) overwrites. */
    private void dropOverwritten(long from, long to) {
        long next = memory.readLong(base + 8);
        long first = memory.readLong(base + 16);
        long firstOffset = memory.readLong(base + 32);
        while (first < next && firstOffset >= from && firstOffset < to) {
            long at = base + HEADER + firstOffset;
            int length = Short.toUnsignedInt(memory.readShort(at + 16));
            firstOffset += (RECORD_HEADER + length + 7) & ~7L;
            first++;
            if (first < next && (firstOffset + RECORD_HEADER > dataSize
                    || memory.readLong(base + HEADER + firstOffset) != first)) {
                firstOffset = 0; // the writer wrapped here
            }
        }
        memory.writeLong(base + 16, first);
        memory.writeLong(base + 32, firstOffset);
    }

    /** Read the records back from memory, oldest first (what a dump reader does). */
    public static List<LogRecord> read(GuestMemory memory, long base) {
        if (memory.readLong(base) != MAGIC) {
            throw new IllegalArgumentException(String.format("no nmilab log buffer at 0x%x", base));
        }
        long next = memory.readLong(base + 8);
        long sequence = memory.readLong(base + 16);
        long offset = memory.readLong(base + 32);
        long dataSize = memory.readLong(base + 40);
        List<LogRecord> records = new ArrayList<>();
        while (sequence < next) {
            if (offset + RECORD_HEADER > dataSize || memory.readLong(base + HEADER + offset) != sequence) {
                offset = 0;
            }
            long at = base + HEADER + offset;
            int length = Short.toUnsignedInt(memory.readShort(at + 16));
            int caller = memory.readInt(at + 20);
            boolean cpuCaller = (caller & CALLER_CPU_FLAG) != 0;
            records.add(new LogRecord(sequence, memory.readLong(at + 8), LogLevel.values()[memory.readByte(at + 18)],
                    cpuCaller ? caller & ~CALLER_CPU_FLAG : -1, cpuCaller ? -1 : caller,
                    new String(memory.read(at + RECORD_HEADER, length), StandardCharsets.UTF_8)));
            offset += (RECORD_HEADER + length + 7) & ~7L;
            sequence++;
        }
        return records;
    }
}
