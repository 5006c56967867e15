package dev.nmilab.kernel.printk;

import dev.nmilab.kernel.cmdline.KernelCommandLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The wire of an 8250 UART console (drivers/tty/serial/8250/8250_port.c): each character takes
 * ten bit times (start, eight data bits, stop), and uart_console_write turns every '\n' into
 * "\r\n". Lines handed to the console queue behind the ones still being sent, so printing faster
 * than the wire builds a backlog; {@link #onWire} is what had left the UART before a hand-over.
 */
public final class SerialConsole {
    public static final int DEFAULT_BAUD = 115_200;
    private static final long BITS_PER_CHAR = 10;

    /** A console line: handed to the UART at {@code queuedNs}, its last bit on the wire at {@code sentNs}. */
    public record Line(long queuedNs, long sentNs, int cpu, String text) {
        /**
         * What the CPU that wrote this line at {@code nowNs} spends waiting for the UART to take
         * it (serial8250_console_write's wait_for_xmitr per character), at least 1 ns.
         */
        public long writerBusyNs(long nowNs) {
            return Math.max(1, sentNs - nowNs);
        }

        /** Characters on the wire: the text and "\r\n". */
        public long chars() {
            return text.length() + 2L;
        }
    }

    /** Lines handed to the UART but not sent yet at some moment, and their characters. */
    public record Backlog(long lines, long chars) {
    }

    private final String name;
    private final int baud;
    private final List<Line> lines = new ArrayList<>();
    private long wireFreeNs;
    private int firstUnsent;
    private long unsentChars;
    private long maxBacklogChars;
    private long maxBacklogAtNs;
    private long handedOverNs = Long.MAX_VALUE;

    public SerialConsole(String name, int baud) {
        if (baud < 50 || baud > 4_000_000) {
            throw new IllegalArgumentException("console baud rate " + baud + " is outside 50..4000000");
        }
        this.name = name;
        this.baud = baud;
    }

    /** console=ttyS0,115200n8 (the last console= naming a ttyS); a 115200-baud ttyS0 without one. */
    public static SerialConsole fromCommandLine(KernelCommandLine cmdline) {
        Optional<String> tty = cmdline.occurrences("console").stream()
                .map(p -> p.value().orElse(""))
                .filter(v -> v.startsWith("ttyS"))
                .reduce((first, second) -> second);
        if (tty.isEmpty()) {
            return new SerialConsole("ttyS0", DEFAULT_BAUD);
        }
        String value = tty.get();
        int comma = value.indexOf(',');
        if (comma < 0) {
            return new SerialConsole(value, DEFAULT_BAUD);
        }
        String options = value.substring(comma + 1);
        int digits = 0;
        while (digits < options.length() && Character.isDigit(options.charAt(digits))) {
            digits++;
        }
        if (digits == 0 || digits > 7) {
            throw new IllegalArgumentException("console=" + value + ": no baud rate after the comma");
        }
        return new SerialConsole(value.substring(0, comma), Integer.parseInt(options.substring(0, digits)));
    }

    public String name() {
        return name;
    }

    public int baud() {
        return baud;
    }

    public long charsPerSecond() {
        return baud / BITS_PER_CHAR;
    }

    /** Hands one line (without its newline) to the UART at {@code nowNs}. */
    public Line write(long nowNs, int cpu, String text) {
        long start = Math.max(nowNs, wireFreeNs);
        Line line = new Line(nowNs, start + transmitNs(text.length() + 2L), cpu, text);
        wireFreeNs = line.sentNs();
        lines.add(line);
        unsentChars += line.chars();
        // the wire is FIFO: lines leave in order, so the first unsent line only moves forward
        while (firstUnsent < lines.size() && lines.get(firstUnsent).sentNs() <= nowNs) {
            unsentChars -= lines.get(firstUnsent).chars();
            firstUnsent++;
        }
        long backlog = unsentChars;
        if (backlog > maxBacklogChars) {
            maxBacklogChars = backlog;
            maxBacklogAtNs = nowNs;
        }
        return line;
    }

    private long transmitNs(long chars) {
        return Math.ceilDiv(chars * BITS_PER_CHAR * 1_000_000_000L, baud);
    }

    /** machine_kexec or a reset: from {@code ns} on the wire belongs to whatever boots next. */
    public void handOver(long ns) {
        handedOverNs = Math.min(handedOverNs, ns);
    }

    public long handedOverNs() {
        return handedOverNs;
    }

    /** Lines whose last character left before the hand-over (all of them when there was none). */
    public List<Line> onWire() {
        List<Line> sent = new ArrayList<>();
        for (Line line : lines) {
            if (line.sentNs() <= handedOverNs) {
                sent.add(line);
            }
        }
        return sent;
    }

    public List<Line> queued() {
        return List.copyOf(lines);
    }

    /** What had been handed to the UART by {@code ns} and was still not sent at {@code ns}. */
    public Backlog backlogAt(long ns) {
        long count = 0;
        long chars = 0;
        for (int i = lines.size() - 1; i >= 0 && lines.get(i).sentNs() > ns; i--) {
            if (lines.get(i).queuedNs() <= ns) {
                count++;
                chars += lines.get(i).chars();
            }
        }
        return new Backlog(count, chars);
    }

    public long backlogChars(long ns) {
        return backlogAt(ns).chars();
    }

    public long backlogLines(long ns) {
        return backlogAt(ns).lines();
    }

    public long maxBacklogChars() {
        return maxBacklogChars;
    }

    public long maxBacklogAtNs() {
        return maxBacklogAtNs;
    }
}
