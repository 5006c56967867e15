package dev.nmilab.kernel.printk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.task.Action;
import dev.nmilab.kernel.task.Task;
import dev.nmilab.kernel.testing.BootedKernel;
import dev.nmilab.kernel.testing.ByteArrayGuestMemory;
import dev.nmilab.memory.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The printk records in emulated memory as Linux 6.1's printk_ringbuffer lays them out: read
 * back as raw bytes at the offsets of printk_ringbuffer.h, as records, and after the rings wrap
 * (the oldest records dropped, exactly those the kernel would drop).
 */
class PrintkRingbufferTest {
    private static final long BASE = 0xffff_8880_0010_0000L;
    private static final long FINALIZED = 2L << 62;
    private static final long COMMITTED = 1L << 62;
    private static final long REUSABLE = 3L << 62;

    /** struct prb_desc, as the bytes hold it. */
    private record RawDesc(long stateVar, long begin, long next) {
        static RawDesc at(GuestMemory memory, long address) {
            ByteBuffer bytes = le(memory.read(address, PrintkRingbuffer.SIZEOF_PRB_DESC));
            return new RawDesc(bytes.getLong(0), bytes.getLong(8), bytes.getLong(16));
        }
    }

    /** struct printk_info up to dev_info, as the bytes hold it. */
    private record RawInfo(long seq, long tsNsec, int textLen, int facility, int flagsLevel, int callerId) {
        static RawInfo at(GuestMemory memory, long address) {
            ByteBuffer bytes = le(memory.read(address, PrintkRingbuffer.SIZEOF_PRINTK_INFO));
            return new RawInfo(bytes.getLong(0), bytes.getLong(8), Short.toUnsignedInt(bytes.getShort(16)),
                    bytes.get(18) & 0xff, bytes.get(19) & 0xff, bytes.getInt(20));
        }
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String string(GuestMemory memory, long address, int length) {
        return new String(memory.read(address, length), StandardCharsets.UTF_8);
    }

    @Test
    void printkFromTaskAndFromIdleCpuLandsInMemoryAtDocumentedOffsets() throws Exception {
        // kernel/printk/printk.c: each printk line is one record carrying time, level and caller id
        assertTrue(PrintkRingbuffer.footprint(KernelRuntime.LOG_BUF_SHIFT - PrintkRingbuffer.PRB_AVGBITS,
                KernelRuntime.LOG_BUF_SHIFT) <= KernelRuntime.LOG_BUFFER_SIZE, "the ring fits its region");
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

            GuestMemory memory = kernel.machine().kernelSpace();
            long base = KernelRuntime.logBufferAddress();
            long rb = base + 0x40;
            long descs = base + 0x1000;
            long infos = descs + 4096 * 24;
            long data = infos + 4096 * 88;
            assertEquals(rb, memory.readLong(base), "prb = &printk_rb_static");
            assertEquals(12, memory.readInt(rb), "desc_ring.count_bits");
            assertEquals(descs, memory.readLong(rb + 8), "desc_ring.descs");
            assertEquals(infos, memory.readLong(rb + 16), "desc_ring.infos");
            long desc0 = 0x3fff_ffff_ffff_efffL; // DESC0_ID(12): the last descriptor, one wrap before overflow
            assertEquals(desc0 + 3, memory.readLong(rb + 24), "desc_ring.head_id");
            assertEquals(desc0, memory.readLong(rb + 32), "desc_ring.tail_id: the bootstrap descriptor");
            assertEquals(desc0 + 3, memory.readLong(rb + 40), "desc_ring.last_finalized_id");
            assertEquals(17, memory.readInt(rb + 48), "text_data_ring.size_bits");
            assertEquals(data, memory.readLong(rb + 56), "text_data_ring.data");
            long blk0 = -(1L << 17); // BLK0_LPOS
            assertEquals(blk0 + 72, memory.readLong(rb + 64), "text_data_ring.head_lpos: three 24-byte blocks");
            assertEquals(blk0, memory.readLong(rb + 72), "text_data_ring.tail_lpos");
            assertEquals(0, memory.readLong(rb + 80), "fail");
            assertEquals(new RawDesc(REUSABLE | desc0, 1, 1), RawDesc.at(memory, descs + 4095 * 24),
                    "the initial head and tail: reusable, data-less (FAILED_LPOS)");

            int pid = printer[0].pid();
            // "\0013first\n" and its NUL: 9 bytes reserved, a block of 8 + 9 rounded up to 24
            assertEquals(new RawDesc(FINALIZED | (desc0 + 1), blk0, blk0 + 24), RawDesc.at(memory, descs));
            assertEquals(new RawInfo(0, 13_000, 5, 0, 3 << 5 | 2, pid), RawInfo.at(memory, infos));
            assertEquals(desc0 + 1, memory.readLong(data), "the block starts with its descriptor's ID");
            assertEquals("first\0\0\0", string(memory, data + 8, 8));
            assertEquals(new RawDesc(FINALIZED | (desc0 + 2), blk0 + 24, blk0 + 48), RawDesc.at(memory, descs + 24));
            assertEquals(new RawInfo(1, 13_000, 6, 0, 3 << 5 | 2, pid), RawInfo.at(memory, infos + 88));
            assertEquals("second", string(memory, data + 32, 6));
            assertEquals(new RawDesc(FINALIZED | (desc0 + 3), blk0 + 48, blk0 + 72), RawDesc.at(memory, descs + 48));
            assertEquals(new RawInfo(2, 15_000, 9, 0, 6 << 5 | 2, 0x8000_0000), RawInfo.at(memory, infos + 176));
            assertEquals("from idle", string(memory, data + 56, 9));

            assertEquals(List.of(
                    new LogRecord(0, 13_000, LogLevel.KERN_ERR, -1, pid, "first"),
                    new LogRecord(1, 13_000, LogLevel.KERN_ERR, -1, pid, "second"),
                    new LogRecord(2, 15_000, LogLevel.KERN_INFO, 0, -1, "from idle")),
                    PrintkRingbuffer.read(memory, memory.readLong(base)));
        }
    }

    @Test
    void recordsRoundTripThroughMemoryWithTheLayoutOfVmcoreinfo() {
        ByteArrayGuestMemory memory = new ByteArrayGuestMemory(BASE, (int) PrintkRingbuffer.footprint(4, 12));
        PrintkRingbuffer ring = new PrintkRingbuffer(memory, BASE, 4, 12);
        List<LogRecord> written = List.of(
                new LogRecord(0, 1_000, LogLevel.KERN_EMERG, 3, -1, "Kernel panic - not syncing: x"),
                new LogRecord(1, 2_500, LogLevel.KERN_DEBUG, -1, 42, ""),
                new LogRecord(2, 9_999_999_999L, LogLevel.KERN_WARNING, -1, 7, "ünïcödé"),
                new LogRecord(3, 10_000_000_000L, LogLevel.KERN_NOTICE, 1, -1, "first line\nsecond line"));
        written.forEach(ring::append);

        assertEquals(4, ring.nextSeq());
        assertEquals(written, PrintkRingbuffer.read(memory, ring.ringAddress()));
        PrbLayout layout = PrbLayout.fromVmcoreinfo(PrintkRingbuffer.vmcoreinfoEntries(BASE));
        assertEquals(PrbLayout.LINUX_6_1, layout);
        assertEquals(written, PrintkRingbuffer.read(memory, memory.readLong(BASE), layout));
    }

    @Test
    void aLineLongerThanLogLineMaxLosesItsEndAndStaysCommittedUntilTheNextRecord() {
        ByteArrayGuestMemory memory = new ByteArrayGuestMemory(BASE, (int) PrintkRingbuffer.footprint(4, 12));
        PrintkRingbuffer ring = new PrintkRingbuffer(memory, BASE, 4, 12);
        long descs = BASE + PrintkRingbuffer.DESCS_ARRAY;
        ring.append(new LogRecord(0, 0, LogLevel.KERN_INFO, -1, 1, "x".repeat(1500)));

        // LOG_LINE_MAX 992 with the NUL: 991 bytes printed, the level prefix dropped, no newline left
        RawDesc desc = RawDesc.at(memory, descs);
        assertEquals(COMMITTED, desc.stateVar() & REUSABLE);
        assertEquals(1000, desc.next() - desc.begin(), "8 + 992");
        long infos = BASE + PrintkRingbuffer.DESCS_ARRAY + 4096;
        assertEquals(989, RawInfo.at(memory, infos).textLen());
        assertEquals(6 << 5, RawInfo.at(memory, infos).flagsLevel(), "no LOG_NEWLINE");
        assertEquals("x".repeat(989), PrintkRingbuffer.read(memory, ring.ringAddress()).getFirst().text(),
                "committed records are read, as makedumpfile reads them");

        ring.append(new LogRecord(1, 1, LogLevel.KERN_INFO, -1, 1, "next"));
        assertEquals(FINALIZED, RawDesc.at(memory, descs).stateVar() & REUSABLE, "prb_reserve() finalized it");
        assertEquals(2, PrintkRingbuffer.read(memory, ring.ringAddress()).size());
    }

    @Test
    void aFullDescriptorRingRecyclesItsOldestDescriptor() {
        ByteArrayGuestMemory memory = new ByteArrayGuestMemory(BASE, (int) PrintkRingbuffer.footprint(2, 12));
        PrintkRingbuffer ring = new PrintkRingbuffer(memory, BASE, 2, 12);
        for (int i = 0; i < 10; i++) {
            ring.append(new LogRecord(i, i, LogLevel.KERN_INFO, -1, 1, "record " + i));
        }

        // four descriptors: the last four records; seq grows by a full wrap on each reuse
        assertEquals(List.of(6L, 7L, 8L, 9L),
                PrintkRingbuffer.read(memory, ring.ringAddress()).stream().map(LogRecord::sequence).toList());
        long rb = ring.ringAddress();
        // DESC0_ID(2) is 0x3ffffffffffffffb: IDs overflow within DESC_ID_MASK on the second wrap
        assertEquals(5, memory.readLong(rb + PrintkRingbuffer.HEAD_ID), "record 9's ID, DESC0_ID + 10");
        assertEquals(2, memory.readLong(rb + PrintkRingbuffer.TAIL_ID), "record 6's ID");
        long infos = BASE + PrintkRingbuffer.DESCS_ARRAY + 4096;
        assertEquals(8, RawInfo.at(memory, infos).seq(), "infos[0]: records 0, 4 and 8");
        assertEquals(9, RawInfo.at(memory, infos + 88).seq(), "infos[1]: records 1, 5 and 9");
    }

    @Test
    void aWrappingBlockKeepsItsDataAtTheStartAndItsIdAtBothEnds() {
        ByteArrayGuestMemory memory = new ByteArrayGuestMemory(BASE, (int) PrintkRingbuffer.footprint(5, 10));
        PrintkRingbuffer ring = new PrintkRingbuffer(memory, BASE, 5, 10);
        long data = BASE + PrintkRingbuffer.DESCS_ARRAY + 4096 + 4096;
        // 100 characters: 104 reserved, 112-byte blocks; nine fill 1008 of 1024 bytes, the tenth wraps
        for (int i = 0; i < 10; i++) {
            ring.append(new LogRecord(i, i, LogLevel.KERN_INFO, -1, 1, text(i, 100)));
        }

        long blk0 = -1024;
        RawDesc tenth = RawDesc.at(memory, BASE + PrintkRingbuffer.DESCS_ARRAY + 9 * 24);
        assertEquals(blk0 + 1008, tenth.begin(), "begins where the ninth ended");
        assertEquals(112, tenth.next(), "ends one block into the next wrap");
        long id = tenth.stateVar() & PrintkRingbuffer.DESC_ID_MASK;
        assertEquals(id, memory.readLong(data + 1008), "the ID where the block begins");
        assertEquals(id, memory.readLong(data), "and at the start, where its data is");
        assertEquals(text(9, 100), string(memory, data + 8, 100));
        // the first record's block was overwritten: its descriptor is reusable and the data tail past it
        assertEquals(REUSABLE, RawDesc.at(memory, BASE + PrintkRingbuffer.DESCS_ARRAY).stateVar() & REUSABLE);
        assertEquals(blk0 + 112, memory.readLong(ring.ringAddress() + PrintkRingbuffer.TEXT_DATA_RING
                + PrintkRingbuffer.TAIL_LPOS));
        List<LogRecord> kept = PrintkRingbuffer.read(memory, ring.ringAddress());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), kept.stream().map(LogRecord::sequence).toList());
        assertEquals(text(9, 100), kept.getLast().text());
    }

    @Test
    void wrappingDropsExactlyTheOldestRecordsForAnyMixOfLengths() {
        // An independent model of 6.1's placement: blocks of 8 + reserve_size rounded up to 8 follow
        // each other in lpos; one that would reach the end of the array wraps to index 0. A record
        // stays while its block begins no more than the array size before the newest block's end and
        // it is among the last 2^count_bits records (one descriptor each).
        Random random = new Random(20260101);
        for (int round = 0; round < 12; round++) {
            int countBits = round % 3 == 0 ? 2 : 5;
            ByteArrayGuestMemory memory = new ByteArrayGuestMemory(BASE, (int) PrintkRingbuffer.footprint(countBits, 10));
            PrintkRingbuffer ring = new PrintkRingbuffer(memory, BASE, countBits, 10);
            List<Long> begins = new ArrayList<>();
            List<LogRecord> all = new ArrayList<>();
            long next = 0;
            for (int i = 0; i < 150; i++) {
                int length = random.nextInt(round % 2 == 0 ? 300 : 60);
                long size = (Math.min(length + 4, PrintkRingbuffer.LOG_LINE_MAX) + 8 + 7) & ~7L;
                long begin = next;
                next = begin + size;
                if (begin / 1024 != next / 1024) {
                    next = next / 1024 * 1024 + size;
                }
                begins.add(begin);
                LogRecord record = new LogRecord(i, 10L * i, LogLevel.of(i % 8), -1, 100 + i, text(i, length));
                all.add(record);
                ring.append(record);

                int first = Math.max(0, i - (1 << countBits) + 1);
                while (next - begins.get(first) > 1024) {
                    first++;
                }
                assertEquals(all.subList(first, i + 1), PrintkRingbuffer.read(memory, ring.ringAddress()),
                        "round " + round + " after record " + i);
            }
        }
    }

    @Test
    void readRefusesMemoryWithoutARing() {
        ByteArrayGuestMemory memory = new ByteArrayGuestMemory(BASE, 4096);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrintkRingbuffer.read(memory, BASE));
        assertEquals("no printk_ringbuffer at 0xffff888000100000: count_bits 0, size_bits 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PrintkRingbuffer(memory, BASE, 4, 9));
    }

    @Test
    void vmcoreinfoHasWhatLogBufVmcoreinfoSetupWritesInItsOrder() {
        Map<String, String> entries = PrintkRingbuffer.vmcoreinfoEntries(0xffff_8880_00a0_0000L);
        StringBuilder text = new StringBuilder();
        entries.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));

        assertEquals("""
                SYMBOL(prb)=ffff888000a00000
                SYMBOL(printk_rb_static)=ffff888000a00040
                SYMBOL(clear_seq)=ffff888000a000c0
                SIZE(printk_ringbuffer)=88
                OFFSET(printk_ringbuffer.desc_ring)=0
                OFFSET(printk_ringbuffer.text_data_ring)=48
                OFFSET(printk_ringbuffer.fail)=80
                SIZE(prb_desc_ring)=48
                OFFSET(prb_desc_ring.count_bits)=0
                OFFSET(prb_desc_ring.descs)=8
                OFFSET(prb_desc_ring.infos)=16
                OFFSET(prb_desc_ring.head_id)=24
                OFFSET(prb_desc_ring.tail_id)=32
                SIZE(prb_desc)=24
                OFFSET(prb_desc.state_var)=0
                OFFSET(prb_desc.text_blk_lpos)=8
                SIZE(prb_data_blk_lpos)=16
                OFFSET(prb_data_blk_lpos.begin)=0
                OFFSET(prb_data_blk_lpos.next)=8
                SIZE(printk_info)=88
                OFFSET(printk_info.seq)=0
                OFFSET(printk_info.ts_nsec)=8
                OFFSET(printk_info.text_len)=16
                OFFSET(printk_info.caller_id)=20
                OFFSET(printk_info.dev_info)=24
                SIZE(dev_printk_info)=64
                OFFSET(dev_printk_info.subsystem)=0
                LENGTH(printk_info_subsystem)=16
                OFFSET(dev_printk_info.device)=16
                LENGTH(printk_info_device)=48
                SIZE(prb_data_ring)=32
                OFFSET(prb_data_ring.size_bits)=0
                OFFSET(prb_data_ring.data)=8
                OFFSET(prb_data_ring.head_lpos)=16
                OFFSET(prb_data_ring.tail_lpos)=24
                SIZE(atomic_long_t)=8
                OFFSET(atomic_long_t.counter)=0
                SIZE(latched_seq)=24
                OFFSET(latched_seq.val)=8
                """, text.toString());

        Map<String, String> missing = new LinkedHashMap<>(entries);
        missing.remove("OFFSET(prb_desc.state_var)");
        assertEquals("VMCOREINFO has no OFFSET(prb_desc.state_var)",
                assertThrows(IllegalArgumentException.class, () -> PrbLayout.fromVmcoreinfo(missing)).getMessage());
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
