package dev.nmilab.x86;

import dev.nmilab.memory.GuestMemory;

/**
 * The GDT and 64-bit TSS as Linux lays them out (arch/x86/include/asm/segment.h, processor.h
 * struct x86_hw_tss), and the checks delivery and IRET make on a code selector.
 */
public final class DescriptorTables {
    public static final int KERNEL_CS = 0x10;
    public static final int KERNEL_DS = 0x18;
    public static final int TSS_SELECTOR = 0x40;
    public static final int GDT_ENTRIES = 16;
    public static final int GDT_SIZE = GDT_ENTRIES * 8;

    /** 64-bit TSS: RSP0 at 4, IST1..IST7 from 0x24, 104 bytes. */
    public static final int TSS_RSP0 = 0x04;
    public static final int TSS_IST1 = 0x24;
    public static final int TSS_SIZE = 0x68;

    private static final long KERNEL_CODE_64 = 0x00af_9b00_0000_ffffL;
    private static final long KERNEL_DATA = 0x00cf_9300_0000_ffffL;

    private DescriptorTables() {
    }

    /** Writes the boot GDT: null, __KERNEL_CS, __KERNEL_DS and the TSS descriptor at {@code gdt}. */
    public static void writeGdt(GuestMemory memory, long gdt, long tss) {
        memory.write(gdt, new byte[GDT_SIZE]);
        memory.writeLong(gdt + KERNEL_CS, KERNEL_CODE_64);
        memory.writeLong(gdt + KERNEL_DS, KERNEL_DATA);
        long limit = TSS_SIZE - 1;
        long low = (limit & 0xffff) | ((tss & 0xffffffL) << 16) | (0x89L << 40) | (((tss >>> 24) & 0xff) << 56);
        memory.writeLong(gdt + TSS_SELECTOR, low);
        memory.writeLong(gdt + TSS_SELECTOR + 8, tss >>> 32);
    }

    public static long istAddress(long tss, int ist) {
        return tss + TSS_IST1 + 8L * (ist - 1);
    }

    /**
     * Why {@code selector} cannot be loaded into CS for ring-0 64-bit code, or null when it can:
     * index within the GDT limit, present, a code segment, L=1, DPL 0, RPL 0.
     */
    public static String rejectCodeSelector(GuestMemory memory, long gdtBase, int gdtLimit, int selector) {
        if ((selector & 0xfffc) == 0) {
            return "null selector";
        }
        if ((selector & 3) != 0) {
            return "RPL " + (selector & 3) + " (only ring 0 is modelled)";
        }
        if ((selector & 4) != 0) {
            return "LDT selector";
        }
        int index = selector & 0xfff8;
        if (index + 7 > gdtLimit) {
            return "beyond the GDT limit";
        }
        long descriptor;
        try {
            descriptor = memory.readLong(gdtBase + index);
        } catch (RuntimeException unreadable) {
            return "GDT not readable";
        }
        int access = (int) ((descriptor >>> 40) & 0xff);
        boolean present = (access & 0x80) != 0;
        boolean code = (access & 0x18) == 0x18;
        boolean longMode = ((descriptor >>> 53) & 1) != 0;
        int dpl = (access >> 5) & 3;
        if (!present) {
            return "segment not present";
        }
        if (!code || !longMode || dpl != 0) {
            return "not a 64-bit ring-0 code segment";
        }
        return null;
    }

    public static boolean isCanonical(long address) {
        long top = address >> 47;
        return top == 0 || top == -1;
    }
}
