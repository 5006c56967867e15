package dev.nmilab.kernel.printk;

import java.util.Map;

/**
 * The structure sizes and member offsets a reader of a printk_ringbuffer needs, named as
 * log_buf_vmcoreinfo_setup() (kernel/printk/printk.c) exports them. A dump reader takes them from
 * VMCOREINFO, as makedumpfile's dump_lockless_dmesg() does, rather than trusting its own idea of
 * the kernel's structs.
 *
 * <p>VMCOREINFO carries no offset for the facility and the flags:5/level:3 byte of struct
 * printk_info; in every kernel with the lockless ring they follow the u16 text_len, so the level
 * byte is read at {@code text_len + 3}.
 */
public record PrbLayout(
        long descRing, long textDataRing,
        long countBits, long descs, long infos, long headId, long tailId,
        long descSize, long stateVar, long textBlkLpos,
        long begin, long next,
        long sizeBits, long data,
        long infoSize, long seq, long tsNsec, long textLen, long callerId,
        long counter) {

    /** Linux 6.1 on x86-64, the layout {@link PrintkRingbuffer} writes. */
    public static final PrbLayout LINUX_6_1 = fromVmcoreinfo(PrintkRingbuffer.vmcoreinfoEntries(0));

    /** The byte holding flags:5 and level:3 (level in the top three bits on x86-64). */
    public long flagsLevel() {
        return textLen + 3;
    }

    /**
     * The layout from VMCOREINFO entries ({@code "OFFSET(prb_desc.state_var)" -> "0"}).
     *
     * @throws IllegalArgumentException naming the first entry that is missing or not a number
     */
    public static PrbLayout fromVmcoreinfo(Map<String, String> entries) {
        return new PrbLayout(
                offset(entries, "printk_ringbuffer.desc_ring"), offset(entries, "printk_ringbuffer.text_data_ring"),
                offset(entries, "prb_desc_ring.count_bits"), offset(entries, "prb_desc_ring.descs"),
                offset(entries, "prb_desc_ring.infos"), offset(entries, "prb_desc_ring.head_id"),
                offset(entries, "prb_desc_ring.tail_id"),
                size(entries, "prb_desc"), offset(entries, "prb_desc.state_var"),
                offset(entries, "prb_desc.text_blk_lpos"),
                offset(entries, "prb_data_blk_lpos.begin"), offset(entries, "prb_data_blk_lpos.next"),
                offset(entries, "prb_data_ring.size_bits"), offset(entries, "prb_data_ring.data"),
                size(entries, "printk_info"), offset(entries, "printk_info.seq"), offset(entries, "printk_info.ts_nsec"),
                offset(entries, "printk_info.text_len"), offset(entries, "printk_info.caller_id"),
                offset(entries, "atomic_long_t.counter"));
    }

    private static long offset(Map<String, String> entries, String member) {
        return number(entries, "OFFSET(" + member + ")");
    }

    private static long size(Map<String, String> entries, String struct) {
        return number(entries, "SIZE(" + struct + ")");
    }

    /** SIZE and OFFSET print as %lu (include/linux/crash_core.h). */
    private static long number(Map<String, String> entries, String key) {
        String value = entries.get(key);
        if (value == null) {
            throw new IllegalArgumentException("VMCOREINFO has no " + key);
        }
        try {
            return Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("VMCOREINFO " + key + "=" + value + " is not a number");
        }
    }
}
