package dev.nmilab.nmi;

/** The NMI handler lists (arch/x86/include/asm/nmi.h: enum { NMI_LOCAL, NMI_UNKNOWN, NMI_SERR, NMI_IO_CHECK }). */
public enum NmiType {
    NMI_LOCAL, NMI_UNKNOWN, NMI_SERR, NMI_IO_CHECK
}
