package dev.nmilab.nmi;

/** Per-CPU NMI statistics (arch/x86/kernel/nmi.c: struct nmi_stats) plus the back-to-back state. */
public final class NmiStats {
    long normal;
    long unknown;
    long external;
    long swallow;
    long lastNmiRip = -1;
    boolean swallowNmi;

    public long normal() {
        return normal;
    }

    public long unknown() {
        return unknown;
    }

    public long external() {
        return external;
    }

    public long swallow() {
        return swallow;
    }
}
