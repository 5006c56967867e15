package dev.nmilab.kernel.printk;

import dev.nmilab.memory.GuestMemory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * The kernel log in emulated memory as Linux 6.1 keeps it: the lockless printk_ringbuffer of
 * kernel/printk/printk_ringbuffer.h/.c, byte for byte on x86-64, so that makedumpfile
 * --dump-dmesg, vmcore-dmesg and crash read a dump of it. One writer (printk on the emulated
 * machine runs one message at a time), so the cmpxchg loops of the kernel are plain stores here,
 * but every state the kernel leaves in memory is left the same way.
 *
 * <p>What {@code base} holds (each array on its own page):
 * <pre>
 *  +0x0000  prb                        struct printk_ringbuffer *  (= &amp;printk_rb_static)
 *  +0x0040  printk_rb_static           struct printk_ringbuffer    (88 bytes)
 *  +0x00c0  clear_seq                  struct latched_seq          (24 bytes)
 *  +0x1000  _printk_rb_static_descs    struct prb_desc[1 &lt;&lt; count_bits]     (24 bytes each)
 *           _printk_rb_static_infos    struct printk_info[1 &lt;&lt; count_bits]  (88 bytes each)
 *           __log_buf                  char[1 &lt;&lt; size_bits]  data blocks: unsigned long id; char data[]
 * </pre>
 *
 * <pre>
 *  struct printk_ringbuffer  +0 desc_ring (prb_desc_ring)  +48 text_data_ring (prb_data_ring)  +80 fail
 *  struct prb_desc_ring      +0 count_bits  +8 descs  +16 infos  +24 head_id  +32 tail_id  +40 last_finalized_id
 *  struct prb_data_ring      +0 size_bits  +8 data  +16 head_lpos  +24 tail_lpos
 *  struct prb_desc           +0 state_var (id | state &lt;&lt; 62)  +8 text_blk_lpos {begin, next}
 *  struct printk_info        +0 seq  +8 ts_nsec  +16 text_len (u16)  +18 facility  +19 flags:5 level:3
 *                            +20 caller_id  +24 dev_info {subsystem[16], device[48]}
 * </pre>
 */
public final class PrintkRingbuffer {
    // struct printk_ringbuffer and what it contains (x86-64, Linux 6.1)
    public static final int SIZEOF_PRINTK_RINGBUFFER = 88;
    public static final int DESC_RING = 0;
    public static final int TEXT_DATA_RING = 48;
    public static final int FAIL = 80;
    public static final int SIZEOF_PRB_DESC_RING = 48;
    public static final int COUNT_BITS = 0;
    public static final int DESCS = 8;
    public static final int INFOS = 16;
    public static final int HEAD_ID = 24;
    public static final int TAIL_ID = 32;
    public static final int LAST_FINALIZED_ID = 40;
    public static final int SIZEOF_PRB_DATA_RING = 32;
    public static final int SIZE_BITS = 0;
    public static final int DATA = 8;
    public static final int HEAD_LPOS = 16;
    public static final int TAIL_LPOS = 24;
    public static final int SIZEOF_PRB_DESC = 24;
    public static final int STATE_VAR = 0;
    public static final int TEXT_BLK_LPOS = 8;
    public static final int SIZEOF_PRB_DATA_BLK_LPOS = 16;
    public static final int BEGIN = 0;
    public static final int NEXT = 8;
    public static final int SIZEOF_PRINTK_INFO = 88;
    public static final int SEQ = 0;
    public static final int TS_NSEC = 8;
    public static final int TEXT_LEN = 16;
    public static final int FACILITY = 18;
    public static final int FLAGS_LEVEL = 19;
    public static final int CALLER_ID = 20;
    public static final int DEV_INFO = 24;
    public static final int SIZEOF_DEV_PRINTK_INFO = 64;
    public static final int PRINTK_INFO_SUBSYSTEM_LEN = 16;
    public static final int PRINTK_INFO_DEVICE_LEN = 48;
    public static final int SIZEOF_ATOMIC_LONG = 8;
    public static final int SIZEOF_LATCHED_SEQ = 24;
    public static final int LATCHED_SEQ_VAL = 8;

    // where the variables sit from base
    public static final int PRB = 0x0;
    public static final int PRINTK_RB_STATIC = 0x40;
    public static final int CLEAR_SEQ = 0xc0;
    public static final int DESCS_ARRAY = 0x1000;
    private static final long PAGE = 4096;

    /** enum desc_state (printk_ringbuffer.h); desc_miss (-1) is a pseudo state. */
    public static final int DESC_RESERVED = 0x0;
    public static final int DESC_COMMITTED = 0x1;
    public static final int DESC_FINALIZED = 0x2;
    public static final int DESC_REUSABLE = 0x3;
    private static final int DESC_MISS = -1;
    private static final int DESC_FLAGS_SHIFT = 62;
    public static final long DESC_ID_MASK = ~(3L << DESC_FLAGS_SHIFT);
    /** Data-less blocks: FAILED_LPOS when allocation failed, NO_LPOS when there was no data. */
    public static final long FAILED_LPOS = 0x1;
    public static final long NO_LPOS = 0x3;

    /** enum printk_info_flags (kernel/printk/internal.h). */
    public static final int LOG_NEWLINE = 2;
    /** printk_caller_id(): bit 31 set for a CPU outside task context. */
    public static final int CALLER_CPU_FLAG = 0x8000_0000;
    /** LOG_LINE_MAX (kernel/printk/internal.h): CONSOLE_LOG_MAX 1024 less PREFIX_MAX 32. */
    public static final int LOG_LINE_MAX = 1024 - 32;
    /** PRB_AVGBITS (printk.c): 32 bytes of text per descriptor on average. */
    public static final int PRB_AVGBITS = 5;

    private final GuestMemory memory;
    private final long base;
    private final long rb;
    private final long descs;
    private final long infos;
    private final long data;
    private final long descsCount;
    private final long dataSize;

    /**
     * Lay out an empty ring at {@code base} (what _DEFINE_PRINTKRB() initialises statically):
     * 2^countBits descriptors and 2^sizeBits bytes of text data.
     */
    public PrintkRingbuffer(GuestMemory memory, long base, int countBits, int sizeBits) {
        if (countBits < 2 || countBits > 24) {
            throw new IllegalArgumentException("count_bits must be 2..24, was " + countBits);
        }
        if (sizeBits < 10 || sizeBits > 30) {
            // the largest record (LOG_LINE_MAX) must fit: data_check_size()
            throw new IllegalArgumentException("size_bits must be 10..30, was " + sizeBits);
        }
        this.memory = memory;
        this.base = base;
        this.rb = base + PRINTK_RB_STATIC;
        this.descsCount = 1L << countBits;
        this.dataSize = 1L << sizeBits;
        this.descs = base + DESCS_ARRAY;
        this.infos = descs + pageAlign(descsCount * SIZEOF_PRB_DESC);
        this.data = infos + pageAlign(descsCount * SIZEOF_PRINTK_INFO);
        zero(base, footprint(countBits, sizeBits));

        memory.writeLong(base + PRB, rb);
        long descRing = rb + DESC_RING;
        memory.writeInt(descRing + COUNT_BITS, countBits);
        memory.writeLong(descRing + DESCS, descs);
        memory.writeLong(descRing + INFOS, infos);
        long desc0Id = descId(-(descsCount + 1)); // DESC0_ID: the last descriptor is the initial head and tail
        memory.writeLong(descRing + HEAD_ID, desc0Id);
        memory.writeLong(descRing + TAIL_ID, desc0Id);
        memory.writeLong(descRing + LAST_FINALIZED_ID, desc0Id);
        long textRing = rb + TEXT_DATA_RING;
        memory.writeInt(textRing + SIZE_BITS, sizeBits);
        memory.writeLong(textRing + DATA, data);
        memory.writeLong(textRing + HEAD_LPOS, -dataSize); // BLK0_LPOS: overflows on the first wrap
        memory.writeLong(textRing + TAIL_LPOS, -dataSize);
        // the initial head/tail: reusable, data-less, reporting seq 0 while bootstrapping
        long last = desc(desc0Id);
        memory.writeLong(last + STATE_VAR, stateVar(desc0Id, DESC_REUSABLE));
        memory.writeLong(last + TEXT_BLK_LPOS + BEGIN, FAILED_LPOS);
        memory.writeLong(last + TEXT_BLK_LPOS + NEXT, FAILED_LPOS);
        // infos[0] is incremented to seq 0 by the first reservation (Hack #1)
        memory.writeLong(infos + SEQ, -descsCount);
    }

    /** Bytes the layout takes from base. */
    public static long footprint(int countBits, int sizeBits) {
        long count = 1L << countBits;
        return DESCS_ARRAY + pageAlign(count * SIZEOF_PRB_DESC) + pageAlign(count * SIZEOF_PRINTK_INFO)
                + (1L << sizeBits);
    }

    public long base() {
        return base;
    }

    /** Where struct printk_ringbuffer is (what {@code prb} points at). */
    public long ringAddress() {
        return rb;
    }

    /** The sequence number the next record gets. */
    public long nextSeq() {
        long id = descId(memory.readLong(rb + DESC_RING + HEAD_ID) + 1);
        return assignedSeq(id, memory.readLong(info(id) + SEQ));
    }

    /**
     * vprintk_store() of one complete line: prb_reserve() for the formatted message
     * ({@code KERN_<level> "%s\n"}), the text without its level prefix and newline, then
     * prb_final_commit(). A line longer than LOG_LINE_MAX loses its end and with it the newline,
     * so it is only committed; the next prb_reserve() finalizes it.
     *
     * @throws IllegalArgumentException when the record's sequence number is not the one the ring
     *     assigns next
     */
    public void append(LogRecord record) {
        byte[] text = record.text().getBytes(StandardCharsets.UTF_8);
        // vsnprintf of "\001<level>text\n" plus its NUL, capped at LOG_LINE_MAX
        int reserveSize = Math.min(2 + text.length + 1 + 1, LOG_LINE_MAX);
        int written = reserveSize - 1; // vscnprintf() leaves room for the NUL
        int textLen = Math.min(text.length, written - 2); // printk_sprint() drops the prefix...
        boolean newline = written - 2 > text.length; // ...and a trailing newline that survived

        long seq = nextSeq();
        if (seq != record.sequence()) {
            throw new IllegalArgumentException("printk_ringbuffer assigns seq " + seq + ", the record has "
                    + record.sequence());
        }
        long id = descReserve();
        long desc = desc(id);
        long info = info(id);
        memory.write(info, new byte[SIZEOF_PRINTK_INFO]); // every field but seq is the writer's to fill
        memory.writeLong(info + SEQ, seq);
        if (seq > 0) {
            descMakeFinal(descId(id - 1)); // new data ends any chance to extend the previous record
        }
        long textAt = dataAlloc(reserveSize, desc + TEXT_BLK_LPOS, id);
        byte[] block = Arrays.copyOf(text, reserveSize);
        Arrays.fill(block, textLen, reserveSize, (byte) 0);
        memory.write(textAt, block, 0, reserveSize);

        memory.writeShort(info + TEXT_LEN, (short) textLen);
        memory.writeByte(info + FACILITY, (byte) 0); // the kernel's own messages
        memory.writeByte(info + FLAGS_LEVEL, (byte) ((record.level().level() << 5) | (newline ? LOG_NEWLINE : 0)));
        memory.writeLong(info + TS_NSEC, record.timestampNs());
        memory.writeInt(info + CALLER_ID, record.pid() < 0 ? CALLER_CPU_FLAG | record.cpu() : record.pid());
        if (newline) {
            memory.writeLong(desc + STATE_VAR, stateVar(id, DESC_FINALIZED)); // prb_final_commit()
            memory.writeLong(rb + DESC_RING + LAST_FINALIZED_ID, id);
        } else {
            memory.writeLong(desc + STATE_VAR, stateVar(id, DESC_COMMITTED)); // prb_commit()
        }
    }

    /** desc_reserve(): the next descriptor ID, pushing the tail when the ring has wrapped onto it. */
    private long descReserve() {
        long descRing = rb + DESC_RING;
        long id = descId(memory.readLong(descRing + HEAD_ID) + 1);
        long idPrevWrap = descId(id - descsCount);
        if (idPrevWrap == memory.readLong(descRing + TAIL_ID)) {
            descPushTail(idPrevWrap);
        }
        long prev = memory.readLong(desc(id) + STATE_VAR);
        if (prev != 0 && descState(idPrevWrap, prev) != DESC_REUSABLE) {
            throw new IllegalStateException(String.format("descriptor %d is not reusable (state_var 0x%x)",
                    idPrevWrap, prev));
        }
        memory.writeLong(descRing + HEAD_ID, id);
        memory.writeLong(desc(id) + STATE_VAR, stateVar(id, DESC_RESERVED));
        return id;
    }

    /** desc_push_tail(): retire the tail descriptor and its data block; the tail moves on by one. */
    private void descPushTail(long tailId) {
        long desc = desc(tailId);
        int state = descState(tailId, memory.readLong(desc + STATE_VAR));
        if (state == DESC_FINALIZED) {
            memory.writeLong(desc + STATE_VAR, stateVar(tailId, DESC_REUSABLE)); // desc_make_reusable()
        } else if (state != DESC_REUSABLE) {
            throw new IllegalStateException("tail descriptor " + tailId + " is in state " + state);
        }
        dataPushTail(memory.readLong(desc + TEXT_BLK_LPOS + NEXT));
        long nextId = descId(tailId + 1);
        int nextState = descState(nextId, memory.readLong(desc(nextId) + STATE_VAR));
        if (nextState != DESC_FINALIZED && nextState != DESC_REUSABLE) {
            throw new IllegalStateException("descriptor " + nextId + " cannot become the tail (state " + nextState + ")");
        }
        memory.writeLong(rb + DESC_RING + TAIL_ID, nextId);
    }

    /** desc_make_final(): a committed descriptor can no longer be extended. */
    private void descMakeFinal(long id) {
        long desc = desc(id);
        if (memory.readLong(desc + STATE_VAR) == stateVar(id, DESC_COMMITTED)) {
            memory.writeLong(desc + STATE_VAR, stateVar(id, DESC_FINALIZED));
            memory.writeLong(rb + DESC_RING + LAST_FINALIZED_ID, id);
        }
    }

    /**
     * data_alloc(): a block of to_blk_size(size) bytes at head_lpos, the ID word first. A block
     * that would reach the end of the array (even exactly) wraps: its data starts at index 0, its
     * begin lpos stays where it was and the ID is written at both places (get_next_lpos()).
     *
     * @return the address of the block's data
     */
    private long dataAlloc(int size, long blkLpos, long id) {
        long textRing = rb + TEXT_DATA_RING;
        long blkSize = (size + 8 + 7) & ~7L;
        long begin = memory.readLong(textRing + HEAD_LPOS);
        long next = begin + blkSize;
        boolean wraps = dataWraps(begin) != dataWraps(next);
        if (wraps) {
            next = (next & ~(dataSize - 1)) + blkSize; // DATA_THIS_WRAP_START_LPOS(next) + size
        }
        dataPushTail(next - dataSize);
        memory.writeLong(textRing + HEAD_LPOS, next);
        memory.writeLong(data + dataIndex(begin), id);
        if (wraps) {
            memory.writeLong(data, id);
        }
        memory.writeLong(blkLpos + BEGIN, begin);
        memory.writeLong(blkLpos + NEXT, next);
        return data + (wraps ? 0 : dataIndex(begin)) + 8;
    }

    /**
     * data_push_tail() with data_make_reusable(): make the descriptors of every block before
     * {@code lpos} reusable and move tail_lpos past them.
     */
    private void dataPushTail(long lpos) {
        if ((lpos & 1) != 0) {
            return; // a data-less block
        }
        long textRing = rb + TEXT_DATA_RING;
        long tail = memory.readLong(textRing + TAIL_LPOS);
        while (Long.compareUnsigned(lpos - tail - 1, dataSize) < 0) {
            long id = memory.readLong(data + dataIndex(tail));
            long desc = desc(id);
            int state = descState(id, memory.readLong(desc + STATE_VAR));
            if ((state != DESC_FINALIZED && state != DESC_REUSABLE)
                    || memory.readLong(desc + TEXT_BLK_LPOS + BEGIN) != tail) {
                throw new IllegalStateException(String.format("data block at lpos 0x%x (id %d, state %d) cannot be "
                        + "made reusable", tail, id, state));
            }
            memory.writeLong(desc + STATE_VAR, stateVar(id, DESC_REUSABLE));
            tail = memory.readLong(desc + TEXT_BLK_LPOS + NEXT);
        }
        memory.writeLong(textRing + TAIL_LPOS, tail);
    }

    /**
     * prb_reserve(): a descriptor's first use gives it the sequence number of its index; after
     * that each use adds a full wrap (infos[0] starts at -count, so it too becomes 0 first).
     */
    private long assignedSeq(long id, long previousSeq) {
        long index = id & (descsCount - 1);
        return previousSeq == 0 && index != 0 ? index : previousSeq + descsCount;
    }

    private long desc(long id) {
        return descs + (id & (descsCount - 1)) * SIZEOF_PRB_DESC;
    }

    private long info(long id) {
        return infos + (id & (descsCount - 1)) * SIZEOF_PRINTK_INFO;
    }

    private long dataIndex(long lpos) {
        return lpos & (dataSize - 1);
    }

    private long dataWraps(long lpos) {
        return lpos >>> Long.numberOfTrailingZeros(dataSize);
    }

    private void zero(long at, long length) {
        byte[] zeros = new byte[(int) Math.min(length, 1 << 16)];
        for (long done = 0; done < length; done += zeros.length) {
            memory.write(at + done, zeros, 0, (int) Math.min(zeros.length, length - done));
        }
    }

    private static long pageAlign(long bytes) {
        return (bytes + PAGE - 1) & ~(PAGE - 1);
    }

    static long descId(long value) {
        return value & DESC_ID_MASK;
    }

    static long stateVar(long id, int state) {
        return ((long) state << DESC_FLAGS_SHIFT) | id;
    }

    /** get_desc_state(): the state bits, or desc_miss when the descriptor holds another ID. */
    static int descState(long id, long stateVar) {
        return descId(stateVar) != id ? DESC_MISS : (int) (stateVar >>> DESC_FLAGS_SHIFT);
    }

    // ---- reading, as a dump reader does ----

    /** The records of the ring whose struct printk_ringbuffer is at {@code ringAddress}, 6.1 layout. */
    public static List<LogRecord> read(GuestMemory memory, long ringAddress) {
        return read(memory, ringAddress, PrbLayout.LINUX_6_1);
    }

    /**
     * Walk the descriptors from tail_id to head_id as makedumpfile's dump_lockless_dmesg() does,
     * keeping the committed and finalized ones that have data; the text comes out of its data
     * block as get_data() finds it (a wrapping block's data at index 0), cut to what the block
     * holds.
     */
    public static List<LogRecord> read(GuestMemory memory, long ringAddress, PrbLayout layout) {
        long descRing = ringAddress + layout.descRing();
        int countBits = memory.readInt(descRing + layout.countBits());
        int dataBits = memory.readInt(ringAddress + layout.textDataRing() + layout.sizeBits());
        if (countBits < 1 || countBits > 30 || dataBits < 4 || dataBits > 40) {
            throw new IllegalArgumentException(String.format("no printk_ringbuffer at 0x%x: count_bits %d, size_bits %d",
                    ringAddress, countBits, dataBits));
        }
        long count = 1L << countBits;
        long descs = memory.readLong(descRing + layout.descs());
        long infos = memory.readLong(descRing + layout.infos());
        long textRing = ringAddress + layout.textDataRing();
        long dataSize = 1L << dataBits;
        long data = memory.readLong(textRing + layout.data());
        long tailId = memory.readLong(descRing + layout.tailId() + layout.counter());
        long headId = memory.readLong(descRing + layout.headId() + layout.counter());
        if (Long.compareUnsigned(descId(headId - tailId), count) >= 0) {
            throw new IllegalArgumentException(String.format("no printk_ringbuffer at 0x%x: tail_id 0x%x and head_id "
                    + "0x%x are more than %d descriptors apart", ringAddress, tailId, headId, count));
        }

        List<LogRecord> records = new ArrayList<>();
        for (long id = tailId; ; id = descId(id + 1)) {
            long index = id & (count - 1);
            long desc = descs + index * layout.descSize();
            int state = descState(id, memory.readLong(desc + layout.stateVar() + layout.counter()));
            long begin = memory.readLong(desc + layout.textBlkLpos() + layout.begin());
            long next = memory.readLong(desc + layout.textBlkLpos() + layout.next());
            if ((state == DESC_COMMITTED || state == DESC_FINALIZED) && (begin & 1) == 0) {
                long block;
                long size;
                if (begin >>> dataBits == next >>> dataBits && Long.compareUnsigned(begin, next) < 0) {
                    block = data + (begin & (dataSize - 1));
                    size = next - begin;
                } else if ((begin + dataSize) >>> dataBits == next >>> dataBits) {
                    block = data;
                    size = next & (dataSize - 1);
                } else {
                    block = -1; // an illegal block description: skipped
                    size = 0;
                }
                if (size >= 8) {
                    long info = infos + index * layout.infoSize();
                    int textLen = (int) Math.min(Short.toUnsignedInt(memory.readShort(info + layout.textLen())),
                            size - 8);
                    int caller = memory.readInt(info + layout.callerId());
                    boolean cpuCaller = (caller & CALLER_CPU_FLAG) != 0;
                    int level = (memory.readByte(info + layout.flagsLevel()) >> 5) & 7;
                    records.add(new LogRecord(memory.readLong(info + layout.seq()),
                            memory.readLong(info + layout.tsNsec()), LogLevel.of(level),
                            cpuCaller ? caller & ~CALLER_CPU_FLAG : -1, cpuCaller ? -1 : caller,
                            new String(memory.read(block + 8, textLen), StandardCharsets.UTF_8)));
                }
            }
            if (id == headId) {
                return records;
            }
        }
    }

    // ---- VMCOREINFO ----

    /**
     * What log_buf_vmcoreinfo_setup() (kernel/printk/printk.c, 6.1) adds to VMCOREINFO for a ring
     * laid out at {@code base}, in its order: SYMBOL as %lx, SIZE, OFFSET and LENGTH as %lu.
     */
    public static SequencedMap<String, String> vmcoreinfoEntries(long base) {
        SequencedMap<String, String> entries = new LinkedHashMap<>();
        entries.put("SYMBOL(prb)", Long.toHexString(base + PRB));
        entries.put("SYMBOL(printk_rb_static)", Long.toHexString(base + PRINTK_RB_STATIC));
        entries.put("SYMBOL(clear_seq)", Long.toHexString(base + CLEAR_SEQ));
        size(entries, "printk_ringbuffer", SIZEOF_PRINTK_RINGBUFFER);
        offset(entries, "printk_ringbuffer.desc_ring", DESC_RING);
        offset(entries, "printk_ringbuffer.text_data_ring", TEXT_DATA_RING);
        offset(entries, "printk_ringbuffer.fail", FAIL);
        size(entries, "prb_desc_ring", SIZEOF_PRB_DESC_RING);
        offset(entries, "prb_desc_ring.count_bits", COUNT_BITS);
        offset(entries, "prb_desc_ring.descs", DESCS);
        offset(entries, "prb_desc_ring.infos", INFOS);
        offset(entries, "prb_desc_ring.head_id", HEAD_ID);
        offset(entries, "prb_desc_ring.tail_id", TAIL_ID);
        size(entries, "prb_desc", SIZEOF_PRB_DESC);
        offset(entries, "prb_desc.state_var", STATE_VAR);
        offset(entries, "prb_desc.text_blk_lpos", TEXT_BLK_LPOS);
        size(entries, "prb_data_blk_lpos", SIZEOF_PRB_DATA_BLK_LPOS);
        offset(entries, "prb_data_blk_lpos.begin", BEGIN);
        offset(entries, "prb_data_blk_lpos.next", NEXT);
        size(entries, "printk_info", SIZEOF_PRINTK_INFO);
        offset(entries, "printk_info.seq", SEQ);
        offset(entries, "printk_info.ts_nsec", TS_NSEC);
        offset(entries, "printk_info.text_len", TEXT_LEN);
        offset(entries, "printk_info.caller_id", CALLER_ID);
        offset(entries, "printk_info.dev_info", DEV_INFO);
        size(entries, "dev_printk_info", SIZEOF_DEV_PRINTK_INFO);
        offset(entries, "dev_printk_info.subsystem", 0);
        entries.put("LENGTH(printk_info_subsystem)", Integer.toString(PRINTK_INFO_SUBSYSTEM_LEN));
        offset(entries, "dev_printk_info.device", PRINTK_INFO_SUBSYSTEM_LEN);
        entries.put("LENGTH(printk_info_device)", Integer.toString(PRINTK_INFO_DEVICE_LEN));
        size(entries, "prb_data_ring", SIZEOF_PRB_DATA_RING);
        offset(entries, "prb_data_ring.size_bits", SIZE_BITS);
        offset(entries, "prb_data_ring.data", DATA);
        offset(entries, "prb_data_ring.head_lpos", HEAD_LPOS);
        offset(entries, "prb_data_ring.tail_lpos", TAIL_LPOS);
        size(entries, "atomic_long_t", SIZEOF_ATOMIC_LONG);
        offset(entries, "atomic_long_t.counter", 0);
        size(entries, "latched_seq", SIZEOF_LATCHED_SEQ);
        offset(entries, "latched_seq.val", LATCHED_SEQ_VAL);
        return entries;
    }

    private static void size(SequencedMap<String, String> entries, String struct, int size) {
        entries.put("SIZE(" + struct + ")", Integer.toString(size));
    }

    private static void offset(SequencedMap<String, String> entries, String member, int offset) {
        entries.put("OFFSET(" + member + ")", Integer.toString(offset));
    }
}
