package dev.nmilab.kdump.printk;

/** How whoever prints a record keeps everyone else off the UART meanwhile. */
public enum ConsoleOwnership {
    /**
     * The rt 8250 driver (serial8250_console_write): port->lock with interrupts off for the
     * record and printk_cpu_sync around the characters, so a printer that cannot get the CPU
     * lock spins with interrupts off.
     */
    CPU_SYNC,
    /**
     * nbcon (kernel/printk/nbcon.c): an ownership state a printer tries to get and gives up;
     * the panic CPU takes it over, and a printer that lost it backs off instead of spinning.
     */
    NBCON
}
