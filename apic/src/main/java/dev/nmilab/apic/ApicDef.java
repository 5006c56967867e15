package dev.nmilab.apic;

/**
 * Local APIC register offsets and bits, named as Linux names them in
 * arch/x86/include/asm/apicdef.h; values from the Intel SDM vol. 3, ch. 11 (table 11-1,
 * figures 11-8, 11-10, 11-12).
 */
public final class ApicDef {
    /** Where every CPU sees its own local APIC (xAPIC mode, IA32_APIC_BASE at its reset value). */
    public static final long APIC_DEFAULT_PHYS_BASE = 0xfee0_0000L;
    public static final int APIC_MMIO_SIZE = 0x1000;

    public static final int APIC_ID = 0x20;
    public static final int APIC_LVR = 0x30;
    public static final int APIC_TASKPRI = 0x80;
    public static final int APIC_TPRI_MASK = 0xff;
    public static final int APIC_ARBPRI = 0x90;
    public static final int APIC_PROCPRI = 0xa0;
    public static final int APIC_EOI = 0xb0;
    public static final int APIC_RRR = 0xc0;
    public static final int APIC_LDR = 0xd0;
    public static final int APIC_LDR_MASK = 0xff00_0000;
    public static final int APIC_DFR = 0xe0;
    public static final int APIC_DFR_CLUSTER = 0x0fff_ffff;
    public static final int APIC_DFR_FLAT = 0xffff_ffff;
    public static final int APIC_SPIV = 0xf0;
    public static final int APIC_SPIV_FOCUS_DISABLED = 1 << 9;
    public static final int APIC_SPIV_APIC_ENABLED = 1 << 8;
    public static final int APIC_ISR = 0x100;
    public static final int APIC_TMR = 0x180;
    public static final int APIC_IRR = 0x200;
    public static final int APIC_ESR = 0x280;
    public static final int APIC_ESR_SEND_CS = 0x01;
    public static final int APIC_ESR_RECV_CS = 0x02;
    public static final int APIC_ESR_SEND_ACC = 0x04;
    public static final int APIC_ESR_RECV_ACC = 0x08;
    public static final int APIC_ESR_SENDILL = 0x20;
    public static final int APIC_ESR_RECVILL = 0x40;
    public static final int APIC_ESR_ILLREGA = 0x80;
    public static final int APIC_ICR = 0x300;
    public static final int APIC_ICR2 = 0x310;
    public static final int APIC_LVTT = 0x320;
    public static final int APIC_LVTTHMR = 0x330;
    public static final int APIC_LVTPC = 0x340;
    public static final int APIC_LVT0 = 0x350;
    public static final int APIC_LVT1 = 0x360;
    public static final int APIC_LVTERR = 0x370;
    public static final int APIC_TMICT = 0x380;
    public static final int APIC_TMCCT = 0x390;
    public static final int APIC_TDCR = 0x3e0;

    // ICR low word (also the shared LVT field layout).
    public static final int APIC_DEST_SELF = 0x40000;
    public static final int APIC_DEST_ALLINC = 0x80000;
    public static final int APIC_DEST_ALLBUT = 0xc0000;
    public static final int APIC_SHORTHAND_MASK = 0xc0000;
    public static final int APIC_INT_LEVELTRIG = 0x08000;
    public static final int APIC_INT_ASSERT = 0x04000;
    public static final int APIC_ICR_BUSY = 0x01000;
    public static final int APIC_DEST_LOGICAL = 0x00800;
    public static final int APIC_DEST_PHYSICAL = 0x00000;
    public static final int APIC_DM_FIXED = 0x00000;
    public static final int APIC_DM_LOWEST = 0x00100;
    public static final int APIC_DM_SMI = 0x00200;
    public static final int APIC_DM_NMI = 0x00400;
    public static final int APIC_DM_INIT = 0x00500;
    public static final int APIC_DM_STARTUP = 0x00600;
    public static final int APIC_DM_EXTINT = 0x00700;
    public static final int APIC_MODE_MASK = 0x00700;
    public static final int APIC_VECTOR_MASK = 0x000ff;
    /** Destination field of ICR high: bits 24-31. */
    public static final int APIC_DEST_SHIFT = 24;

    // LVT bits.
    public static final int APIC_LVT_TIMER_MODE_MASK = 0x3 << 17;
    public static final int APIC_LVT_TIMER_ONESHOT = 0;
    public static final int APIC_LVT_TIMER_PERIODIC = 1 << 17;
    public static final int APIC_LVT_TIMER_TSCDEADLINE = 2 << 17;
    public static final int APIC_LVT_MASKED = 1 << 16;
    public static final int APIC_LVT_LEVEL_TRIGGER = 1 << 15;
    public static final int APIC_LVT_REMOTE_IRR = 1 << 14;
    public static final int APIC_INPUT_POLARITY = 1 << 13;
    public static final int APIC_SEND_PENDING = 1 << 12;

    // Timer divide configuration (bits 0, 1 and 3).
    public static final int APIC_TDR_DIV_TMBASE = 1 << 2;
    public static final int APIC_TDR_DIV_1 = 0xb;
    public static final int APIC_TDR_DIV_2 = 0x0;
    public static final int APIC_TDR_DIV_4 = 0x1;
    public static final int APIC_TDR_DIV_8 = 0x2;
    public static final int APIC_TDR_DIV_16 = 0x3;
    public static final int APIC_TDR_DIV_32 = 0x8;
    public static final int APIC_TDR_DIV_64 = 0x9;
    public static final int APIC_TDR_DIV_128 = 0xa;

    /** arch/x86/include/asm/irq_vectors.h (Linux 6.1). */
    public static final int NMI_VECTOR = 0x02;
    public static final int LOCAL_TIMER_VECTOR = 0xec;
    public static final int THERMAL_APIC_VECTOR = 0xfa;
    public static final int ERROR_APIC_VECTOR = 0xfe;
    public static final int SPURIOUS_APIC_VECTOR = 0xff;

    private ApicDef() {
    }

    /** The delivery mode field (bits 8-10) of an ICR or LVT value. */
    public static int deliveryMode(int value) {
        return value & APIC_MODE_MASK;
    }

    public static int vector(int value) {
        return value & APIC_VECTOR_MASK;
    }

    public static boolean masked(int value) {
        return (value & APIC_LVT_MASKED) != 0;
    }
}
