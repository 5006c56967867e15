package dev.nmilab.kernel.printk;

/**
 * printk(): a message at a level from a CPU, stored in the ring buffer and printed on the serial
 * console when a context that may call console drivers gets to it.
 */
public interface Printk {
    void printk(int cpu, LogLevel level, String text);

    /** console_flush_on_panic(CONSOLE_FLUSH_PENDING): print every record not printed yet. */
    void consoleFlushOnPanic(int cpu);

    /** machine_kexec or a reset at {@code ns}: what had not left the UART by then never does. */
    void consoleHandOver(long ns);

    /** What reached the serial wire (console.log), dmesg style. */
    String consoleText();

    SerialConsole serialConsole();

    /** Records stored but never handed to the console (NMI context deferral, or not yet flushed). */
    long recordsNotPrinted();
}
