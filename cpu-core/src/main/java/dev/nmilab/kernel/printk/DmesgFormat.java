package dev.nmilab.kernel.printk;

/**
 * The text forms of a printk record, as kernel/printk/printk.c (Linux 6.1) produces them:
 * <ul>
 * <li>console and dmesg: {@code "[    2.000123] text"}, print_time() then a space (info_print_prefix);</li>
 * <li>syslog(2) / {@code dmesg -r}: the same with {@code "<6>"} in front (print_syslog);</li>
 * <li>/dev/kmsg: {@code "6,1234,2000123,-;text"} (info_print_ext_header, msg_add_ext_text).</li>
 * </ul>
 * Timestamps are nanoseconds as the ring buffer stores them (u64, read as unsigned).
 */
public final class DmesgFormat {
    private static final long NSEC_PER_SEC = 1_000_000_000L;
    private static final int CALLER_IS_CPU = 0x8000_0000;

    private DmesgFormat() {
    }

    /** print_time(): "[%5lu.%06lu]" of seconds and microseconds, microseconds truncated. */
    public static String printTime(long tsNanos) {
        String seconds = Long.toUnsignedString(Long.divideUnsigned(tsNanos, NSEC_PER_SEC));
        long micros = Long.remainderUnsigned(tsNanos, NSEC_PER_SEC) / 1000;
        StringBuilder time = new StringBuilder(16).append('[');
        time.repeat(' ', Math.max(0, 5 - seconds.length())).append(seconds).append('.');
        String digits = Long.toString(micros);
        return time.repeat('0', 6 - digits.length()).append(digits).append(']').toString();
    }

    /** The length of {@link #line}, without building it. */
    public static int lineLength(long tsNanos, String text) {
        int seconds = Long.toUnsignedString(Long.divideUnsigned(tsNanos, NSEC_PER_SEC)).length();
        return 1 + Math.max(5, seconds) + 1 + 6 + 1 + 1 + text.length();
    }

    /**
     * print_caller() (CONFIG_PRINTK_CALLER): "[%6s]" of "T&lt;pid&gt;" for a task or "C&lt;cpu&gt;" when the
     * id has bit 31 set (printk_caller_id() outside task context).
     */
    public static String printCaller(int callerId) {
        String caller = ((callerId & CALLER_IS_CPU) != 0 ? "C" : "T") + Integer.toUnsignedString(callerId & ~CALLER_IS_CPU);
        return "[" + " ".repeat(Math.max(0, 6 - caller.length())) + caller + "]";
    }

    /** The caller id printk_caller_id() gives a task. */
    public static int taskCallerId(int pid) {
        return pid;
    }

    /** The caller id printk_caller_id() gives code outside task context on {@code cpu}. */
    public static int cpuCallerId(int cpu) {
        return CALLER_IS_CPU | cpu;
    }

    /** print_syslog(): "&lt;N&gt;" with N = facility &lt;&lt; 3 | level (facility 0 is the kernel). */
    public static String printSyslog(int facility, LogLevel level) {
        return "<" + ((facility << 3) | level.level()) + ">";
    }

    /** The console/dmesg prefix with printk.time on: print_time() and one space. */
    public static String prefix(long tsNanos) {
        return printTime(tsNanos) + " ";
    }

    /** The prefix with CONFIG_PRINTK_CALLER: time, caller, one space. */
    public static String prefix(long tsNanos, int callerId) {
        return printTime(tsNanos) + printCaller(callerId) + " ";
    }

    /** One console line without its newline: "[    2.000123] text". */
    public static String line(long tsNanos, String text) {
        return prefix(tsNanos) + text;
    }

    /**
     * record_print_text(): every line of a (multi-line) record gets the prefix, and every line
     * ends with a newline. The stored text has no trailing newline (vprintk_store strips it).
     */
    public static String recordText(long tsNanos, String text) {
        return prefixEachLine(prefix(tsNanos), text);
    }

    /** The syslog(2) read form, as {@code dmesg -r} prints it: "&lt;6&gt;[    2.000123] text" per line. */
    public static String syslogRecordText(int facility, LogLevel level, long tsNanos, String text) {
        return prefixEachLine(printSyslog(facility, level) + prefix(tsNanos), text);
    }

    /**
     * One /dev/kmsg record: "prio,seq,usec,flag;text\n" where prio is facility &lt;&lt; 3 | level,
     * usec the timestamp in microseconds, flag 'c' for a continuation record else '-', and
     * non-printable bytes and backslashes in the text written as \xNN.
     */
    public static String kmsgRecord(int facility, LogLevel level, long seq, long tsNanos, boolean cont, String text) {
        return ((facility << 3) | level.level()) + "," + Long.toUnsignedString(seq) + ","
                + Long.toUnsignedString(Long.divideUnsigned(tsNanos, 1000)) + "," + (cont ? 'c' : '-') + ";"
                + escapeExtText(text) + "\n";
    }

    /** msg_add_ext_text(): c &lt; ' ', c &gt;= 127 and '\\' become "\xNN" (UTF-8 bytes for non-ASCII). */
    public static String escapeExtText(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < ' ' || c >= 127 || c == '\\') {
                out.append(String.format("\\x%02x", c));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    private static String prefixEachLine(String prefix, String text) {
        StringBuilder out = new StringBuilder();
        int start = 0;
        while (true) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline;
            out.append(prefix).append(text, start, end).append('\n');
            if (newline < 0) {
                return out.toString();
            }
            start = newline + 1;
        }
    }
}
