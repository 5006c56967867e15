package dev.nmilab.kernel.printk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.task.Action;
import dev.nmilab.kernel.task.Task;
import dev.nmilab.kernel.testing.BootedKernel;
import dev.nmilab.kernel.testing.ByteArrayGuestMemory;
import dev.nmilab.memory.GuestMemory;
import dev.nmilab.memory.KernelLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The printk records in emulated memory (nmilab's first log layout, documented on LogBuffer):
 * read back as raw bytes the way a dump reader would, and as records; a small ring drops its
 * oldest records when the writer wraps over them.
 */
class LogBufferTest {
    private static final long BASE = 0xffff_8880_0010_0000L;
    /** The smallest buffer allowed: header + one record of MAX_TEXT; 1048 bytes of data. */
    private static final int SMALL = LogBuffer.HEADER + LogBuffer.RECORD_HEADER + LogBuffer.MAX_TEXT;
    private static final long SMALL_DATA = (SMALL - LogBuffer.HEADER) & ~7L;

    /** The raw header and record fields at their documented offsets. */
    private record RawRecord(long sequence, long timestampNs, int length, int level, int flags, int caller, String text) {
        static RawRecord at(GuestMemory memory, long address) {
            ByteBuffer header = ByteBuffer.wrap(memory.read(address, LogBuffer.RECORD_HEADER))
                    .order(ByteOrder.LITTLE_ENDIAN);
            int length = Short.toUnsignedInt(header.getShort(16));
            return new RawRecord(header.getLong(0), header.getLong(8), length, header.get(18), header.get(19),
                    header.getInt(20), new String(memory.read(address + LogBuffer.RECORD_HEADER, length),
                            StandardCharsets.UTF_8));
        }
    }

    private static long headerField(GuestMemory memory, long base, int offset) {
        return memory.readLong(base + offset);
    }

    @Test
    void printkFromTaskAndFromIdleCpuLandsInMemoryAtDocumentedOffsets() throws Exception {
        // kernel/printk/printk.c: each printk line is one record carrying time, level and caller id
        try (BootedKernel kernel = BootedKernel.boot(2, "")) {
            Printk printk = kernel.runtime().services().printk();
            Task[] printer = new Task[1];
            int[] step = {0};
            printer[0] = kernel.tasks().spawnKthread("printer", 1, "printer_fn", context -> {
                if (step[0]++ == 0) {
                    return new Action.Sleep(13_000); // ends at a window boundary: exact wake-up
                }
                printk.printk(1, LogLevel.KERN_ERR, "first\nsecond\n");
                return new Action.Exit();
            });
            // at a window end with no task current on CPU 0: the caller id is the CPU (idle/interrupt context)
            kernel.machine().scheduler().at(15_000, () -> printk.printk(0, LogLevel.KERN_INFO, "from idle"));

            kernel.runUntil(20_000);

            GuestMemory physical = kernel.machine().physical();
            long base = KernelRuntime.LOG_BUFFER_PHYSICAL;
            assertArrayEquals("NMILOG01".getBytes(StandardCharsets.US_ASCII), physical.read(base, 8));
            assertEquals(3, headerField(physical, base, 8), "next sequence");
            assertEquals(0, headerField(physical, base, 16), "first sequence kept");
            assertEquals(0, headerField(physical, base, 32), "first record offset");
            assertEquals((KernelRuntime.LOG_BUFFER_SIZE - LogBuffer.HEADER) & ~7L, headerField(physical, base, 40),
                    "data size");

            long first = base + LogBuffer.HEADER;
            RawRecord r0 = RawRecord.at(physical, first);
            assertEquals(new RawRecord(0, 13_000, 5, 3, 0, printer[0].pid(), "first"), r0);
            long second = first + 32; // 24-byte header + "first", padded to 8
            assertEquals(new RawRecord(1, 13_000, 6, 3, 0, printer[0].pid(), "second"), RawRecord.at(physical, second));
            long third = second + 32;
            assertEquals(new RawRecord(2, 15_000, 9, 6, 0, LogBuffer.CALLER_CPU_FLAG, "from idle"),
                    RawRecord.at(physical, third));
            assertEquals(third + 40 - first, headerField(physical, base, 24), "write offset");

            // what a dump reader gets back through the kernel's virtual address of the buffer
            List<LogRecord> read = LogBuffer.read(kernel.machine().kernelSpace(),
                    KernelLayout.directMap(KernelRuntime.LOG_BUFFER_PHYSICAL));
            assertEquals(List.of(
                    new LogRecord(0, 13_000, LogLevel.KERN_ERR, -1, printer[0].pid(), "first"),
                    new LogRecord(1, 13_000, LogLevel.KERN_ERR, -1, printer[0].pid(), "second"),
                    new LogRecord(2, 15_000, LogLevel.KERN_INFO, 0, -1, "from idle")), read);
        }
    }

    @Test
    void recordsRoundTripThroughMemory() {
        ByteArrayGuestMemory memory = new ByteArrayGuestMemory(BASE, 4096);
        LogBuffer buffer = new LogBuffer(memory, BASE, 4096);
        List<LogRecord> written = List.of(
                new LogRecord(0, 1_000, LogLevel.KERN_EMERG, 3, -1, "Kernel panic - not syncing: x"),
                new LogRecord(1, 2_500, LogLevel.KERN_DEBUG, -1, 42, ""),
                new LogRecord(2, 9_999_999_999L, LogLevel.KERN_WARNING, -1, 7, "ünïcödé"));
        written.forEach(buffer::append);

        assertEquals(3, buffer.nextSequence());
        assertEquals(written, LogBuffer.read(memory, BASE));
    }

    @Test
    void textLongerThanMaxTextIsTruncated() {
        ByteArrayGuestMemory memory = new ByteArrayGuestMemory(BASE, 8192);
        LogBuffer buffer = new LogBuffer(memory, BASE, 8192);
        buffer.append(new LogRecord(0, 0, LogLevel.KERN_INFO, -1, 1, "x".repeat(LogBuffer.MAX_TEXT + 100)));

        assertEquals(LogBuffer.MAX_TEXT, LogBuffer.read(memory, BASE).get(0).text().length());
        assertEquals(LogBuffer.MAX_TEXT, Short.toUnsignedInt(memory.readShort(BASE + LogBuffer.HEADER + 16)));
    }

    @Test
    void readRefusesMemoryWithoutTheMagic() {
        ByteArrayGuestMemory memory = new ByteArrayGuestMemory(BASE, 4096);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogBuffer.read(memory, BASE));
        assertEquals("no nmilab log buffer at 0xffff888000100000", e.getMessage());
    }

    @Test
    void wrappingDropsExactlyTheOldestRecordsItOverwrites() {
        ByteArrayGuestMemory memory = new ByteArrayGuestMemory(BASE, SMALL);
        LogBuffer buffer = new LogBuffer(memory, BASE, SMALL);
        assertEquals(1048, SMALL_DATA);
        // 100 characters: a 128-byte record; eight fill 1024 bytes, the ninth (8) wraps over the first (0)
        for (int i = 0; i < 9; i++) {
            buffer.append(new LogRecord(i, i, LogLevel.KERN_INFO, -1, 1, text(i, 100)));
        }

        List<LogRecord> kept = LogBuffer.read(memory, BASE);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), kept.stream().map(LogRecord::sequence).toList());
        assertEquals(text(8, 100), kept.get(kept.size() - 1).text());
        assertEquals(9, headerField(memory, BASE, 8), "next sequence");
        assertEquals(1, headerField(memory, BASE, 16), "first sequence kept");
        assertEquals(128, headerField(memory, BASE, 24), "write offset: record 8 sits at 0");
        assertEquals(128, headerField(memory, BASE, 32), "first record offset");
        assertEquals(8, memory.readLong(BASE + LogBuffer.HEADER), "record 8 overwrote record 0 in place");
    }

    @Test
    void wrappingKeepsEveryRecordNotOverwrittenForAnyMixOfLengths() {
        // An independent model of the documented placement: records are laid end to end, a record that
        // does not fit before the end goes to offset 0, and a record survives while no later one
        // overlaps its bytes.
        Random random = new Random(20260101);
        for (int round = 0; round < 20; round++) {
            ByteArrayGuestMemory memory = new ByteArrayGuestMemory(BASE, SMALL);
            LogBuffer buffer = new LogBuffer(memory, BASE, SMALL);
            List<long[]> ranges = new ArrayList<>();
            List<LogRecord> all = new ArrayList<>();
            int firstKept = 0;
            long write = 0;
            for (int i = 0; i < 200; i++) {
                int length = random.nextInt(round % 2 == 0 ? 300 : 60);
                long size = (LogBuffer.RECORD_HEADER + length + 7) & ~7L;
                if (write + size > SMALL_DATA) {
                    write = 0;
                }
                long[] range = {write, write + size};
                write += size;
                for (int j = firstKept; j < i; j++) {
                    if (ranges.get(j)[0] < range[1] && range[0] < ranges.get(j)[1]) {
                        firstKept = j + 1;
                    }
                }
                ranges.add(range);
                LogRecord record = new LogRecord(i, 10L * i, LogLevel.of(i % 8), -1, 100 + i, text(i, length));
                all.add(record);
                buffer.append(record);

                assertEquals(all.subList(firstKept, i + 1), LogBuffer.read(memory, BASE),
                        "round " + round + " after record " + i);
            }
        }
    }

    /** {@code length} characters naming record {@code i}. */
    private static String text(int i, int length) {
        String stem = "rec" + i + "-";
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            text.append(stem);
        }
        return text.substring(0, length);
    }
}
