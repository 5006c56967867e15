package dev.nmilab.nmi;

import dev.nmilab.io.PortDevice;
import dev.nmilab.x86.Cpu;

/**
 * System control port B at 0x61 as the NMI reason register (arch/x86/include/asm/mach_traps.h):
 * bit 7 SERR, bit 6 IOCHK when read; writing bit 2 (clear SERR) or bit 3 (clear IOCHK) clears the
 * line and keeps it disabled while the bit stays set. The board asserts a line with {@link #assertSerr}
 * or {@link #assertIochk} before it raises the NMI.
 */
public final class NmiReasonPort implements PortDevice {
    public static final int PORT = 0x61;
    public static final int NMI_REASON_SERR = 0x80;
    public static final int NMI_REASON_IOCHK = 0x40;
    public static final int NMI_REASON_MASK = NMI_REASON_SERR | NMI_REASON_IOCHK;
    public static final int NMI_REASON_CLEAR_SERR = 0x04;
    public static final int NMI_REASON_CLEAR_IOCHK = 0x08;
    public static final int NMI_REASON_CLEAR_MASK = 0x0f;

    private int control;
    private boolean serr;
    private boolean iochk;

    @Override
    public String name() {
        return "nmi-reason (port 0x61)";
    }

    public void assertSerr() {
        if ((control & NMI_REASON_CLEAR_SERR) == 0) {
            serr = true;
        }
    }

    public void assertIochk() {
        if ((control & NMI_REASON_CLEAR_IOCHK) == 0) {
            iochk = true;
        }
    }

    public int reason() {
        return (control & NMI_REASON_CLEAR_MASK) | (serr ? NMI_REASON_SERR : 0) | (iochk ? NMI_REASON_IOCHK : 0);
    }

    @Override
    public int in(Cpu cpu, int port, int size) {
        return reason();
    }

    @Override
    public void out(Cpu cpu, int port, int size, int value) {
        control = value & NMI_REASON_CLEAR_MASK;
        if ((control & NMI_REASON_CLEAR_SERR) != 0) {
            serr = false;
        }
        if ((control & NMI_REASON_CLEAR_IOCHK) != 0) {
            iochk = false;
        }
    }
}
