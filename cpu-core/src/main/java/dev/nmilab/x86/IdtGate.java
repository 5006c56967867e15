package dev.nmilab.x86;

import dev.nmilab.memory.GuestMemory;

/**
 * A 16-byte 64-bit IDT gate descriptor (SDM vol. 3, Figure 6-8; arch/x86/include/asm/desc_defs.h gate_struct).
 *
 * <pre>
 *  0  offset 15:0      2 segment selector   4 IST (bits 2:0)   5 type(3:0) 0 DPL(6:5) P(7)
 *  6  offset 31:16     8 offset 63:32      12 reserved
 * </pre>
 */
public record IdtGate(long offset, int selector, int ist, int type, int dpl, boolean present) {
    public static final int SIZE = 16;
    public static final int TYPE_INTERRUPT = 0xe;
    public static final int TYPE_TRAP = 0xf;

    public static IdtGate read(GuestMemory memory, long address) {
        byte[] raw = memory.read(address, SIZE);
        long low = le(raw, 0);
        long high = le(raw, 8);
        long offset = (low & 0xffffL) | ((low >>> 48) << 16) | ((high & 0xffff_ffffL) << 32);
        int selector = (int) ((low >>> 16) & 0xffff);
        int ist = (int) ((low >>> 32) & 0x7);
        int attributes = (int) ((low >>> 40) & 0xff);
        return new IdtGate(offset, selector, ist, attributes & 0xf, (attributes >> 5) & 3, (attributes & 0x80) != 0);
    }

    public byte[] encode() {
        int attributes = (present ? 0x80 : 0) | (dpl << 5) | type;
        long low = (offset & 0xffffL) | ((long) selector << 16) | ((long) (ist & 7) << 32) | ((long) attributes << 40)
                | (((offset >>> 16) & 0xffffL) << 48);
        long high = (offset >>> 32) & 0xffff_ffffL;
        byte[] raw = new byte[SIZE];
        putLe(raw, 0, low);
        putLe(raw, 8, high);
        return raw;
    }

    public static IdtGate interrupt(long handler, int ist) {
        return new IdtGate(handler, DescriptorTables.KERNEL_CS, ist, TYPE_INTERRUPT, 0, true);
    }

    public boolean isInterruptGate() {
        return type == TYPE_INTERRUPT;
    }

    static long le(byte[] raw, int at) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (raw[at + i] & 0xff);
        }
        return value;
    }

    static void putLe(byte[] raw, int at, long value) {
        for (int i = 0; i < 8; i++) {
            raw[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
