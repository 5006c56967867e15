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

    /**
     * Threaded printing, as the rt printk and nbcon do it: from now on printk() only stores the
     * record and runs {@code wakeup} (wake_up_interruptible of the printer kthread); whoever owns
     * the console then prints with {@link #emitNext}.
     */
    void useConsoleThread(Runnable wakeup);

    /** The oldest record the console has not dealt with yet, printed or skipped for its level. */
    java.util.Optional<LogRecord> nextForConsole();

    /**
     * Deal with {@link #nextForConsole}: hand it to the UART at {@code nowNs} from {@code cpu}, or
     * skip it when its level is not below the console loglevel (then null).
     */
    SerialConsole.Line emitNext(int cpu, long nowNs);

    /** The sequence number of the newest stored record (prb_next_seq() - 1), or -1. */
    long newestSequence();

    /**
     * Drop, instead of storing, what CPUs for which {@code drop} holds print (6.9's "printk: Avoid
     * non-panic CPUs writing to ringbuffer", part of the 6.6-rt printk).
     */
    void dropRecordsFrom(java.util.function.IntPredicate drop);

    /** Whether a printer kthread prints ({@link #useConsoleThread}), not the printk caller. */
    boolean consoleThreaded();

    /**
     * Records stored before {@code ns} that the console prints but that had not been handed to the
     * UART by then, and their characters on the wire: the backlog still inside printk.
     */
    SerialConsole.Backlog unhandedAt(long ns);
}
