package dev.nmilab.kernel.printk;

/**
 * printk(): a message at a level from a CPU. The first implementation stores records and prints
 * them at once; the kdump module replaces it with the modelled consoles (backlog, console_lock,
 * the printk CPU-sync lock).
 */
public interface Printk {
    void printk(int cpu, LogLevel level, String text);

    /** Everything printed so far, as the console showed it (console.log). */
    String consoleText();
}
