package dev.nmilab.apic;

/**
 * Which CPUs unmask LINT1 (the platform NMI line) at boot: Linux's {@code apic_extnmi=}
 * boot option (arch/x86/kernel/apic/apic.c, APIC_EXTNMI_BSP / _ALL / _NONE). The default is
 * {@link #BSP}: only the boot CPU sees external NMIs.
 */
public enum ExtNmi {
    BSP,
    ALL,
    NONE
}
