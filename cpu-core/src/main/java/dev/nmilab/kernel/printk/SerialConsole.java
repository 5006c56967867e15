package dev.nmilab.kernel.printk;

import dev.nmilab.kernel.cmdline.KernelCommandLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The wire of an 8250 UART console (drivers/tty/serial/8250/8250_port.c): each character takes
 * ten bit times (start, eight data bits, stop), and uart_console_write turns every '\n' into
 * "\r\n". Lines handed to the console queue behind the ones still being sent, so printing faster
 * than the wire builds a backlog; {@link #wireText} is what had left the UART by a given time.
 */
public final class SerialConsole {
    public static final int DEFAULT_BAUD = 115_200;
    private static final long BITS_PER_CHAR = 10;

    /** A console line: handed to the UART at {@code queuedNs}, its last bit on the wire at {@code sentNs}. */
    public record Line(long queuedNs, long sentNs, int cpu, String text) {
    }

    private final String name;
    private final int baud;
    private final List<Line> lines = new ArrayList<>();
    private long wireFreeNs;
    private int firstUnsent;
    private long unsentChars;
    private long charsQueued;
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
        long chars = text.length() + 2; // "\r\n"
        charsQueued += chars;
        long sent = start + transmitNs(chars);
        wireFreeNs = sent;
        Line line = new Line(nowNs, sent, cpu, text);
        lines.add(line);
        unsentChars += chars;
        // the wire is FIFO: lines leave in order, so the first unsent line only moves forward
        while (firstUnsent < lines.size() && lines.get(firstUnsent).sentNs() <= nowNs) {
            unsentChars -= lines.get(firstUnsent).text().length() + 2;
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

    /** Characters handed to the UART by {@code ns} but not yet sent at {@code ns}. */
    public long backlogChars(long ns) {
        long chars = 0;
        for (int i = lines.size() - 1; i >= 0; i--) {
            Line line = lines.get(i);
            if (line.sentNs() <= ns) {
                break;
            }
            if (line.queuedNs() <= ns) {
                chars += line.text().length() + 2;
            }
        }
        return chars;
    }

    /** Lines handed over by {@code ns} and still not sent at {@code ns}. */
    public long backlogLines(long ns) {
        long count = 0;
        for (int i = lines.size() - 1; i >= 0; i--) {
            Line line = lines.get(i);
            if (line.sentNs() <= ns) {
                break;
            }
            if (line.queuedNs() <= ns) {
                count++;
            }
        }
        return count;
    }

    /** When the last queued character will have left the UART. */
    public long drainedAtNs() {
        return wireFreeNs;
    }

    public long maxBacklogChars() {
        return maxBacklogChars;
    }

    public long maxBacklogAtNs() {
        return maxBacklogAtNs;
    }

    public long charsQueued() {
        return charsQueued;
    }
}
