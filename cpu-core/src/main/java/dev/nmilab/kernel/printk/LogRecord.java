package dev.nmilab.kernel.printk;

/** One printk record: sequence number, virtual time, level, the CPU and task that printed it, the text. */
public record LogRecord(long sequence, long timestampNs, LogLevel level, int cpu, int pid, String text) {
}
