package dev.nmilab.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nmilab.kernel.printk.Printk;
import dev.nmilab.kernel.printk.SerialConsole;
import java.util.Locale;

/**
 * The serial console's part of report.json: how far the UART fell behind printk and what never
 * reached the wire, so that a run with a spammer and one without can be told apart at a glance.
 */
final class ConsoleReport {
    private ConsoleReport() {
    }

    static void write(ObjectNode root, Printk printk, long panicTimeNs) {
        SerialConsole console = printk.serialConsole();
        ObjectNode node = root.putObject("console");
        node.put("device", console.name());
        node.put("baud", console.baud());
        node.put("chars_per_second", console.charsPerSecond());
        int queued = console.queued().size();
        int onWire = console.onWire().size();
        node.put("lines_queued", queued);
        node.put("lines_on_wire", onWire);
        node.put("lines_cut_off", queued - onWire);
        SerialConsole.Backlog atPanic = null;
        if (panicTimeNs >= 0) {
            SerialConsole.Backlog inUart = console.backlogAt(panicTimeNs);
            SerialConsole.Backlog inPrintk = printk.unhandedAt(panicTimeNs);
            atPanic = new SerialConsole.Backlog(inUart.lines() + inPrintk.lines(), inUart.chars() + inPrintk.chars());
        }
        node.put("records_never_queued", printk.recordsNotPrinted());
        node.put("max_backlog_chars", console.maxBacklogChars());
        node.put("max_backlog_at_ns", console.maxBacklogAtNs());
        long handedOver = console.handedOverNs();
        if (handedOver != Long.MAX_VALUE) {
            node.put("handed_over_at_ns", handedOver);
        }
        if (atPanic != null) {
            node.put("backlog_at_panic_lines", atPanic.lines());
            node.put("backlog_at_panic_chars", atPanic.chars());
            node.put("backlog_at_panic_seconds", seconds(atPanic.chars() * 1_000_000_000L / console.charsPerSecond()));
        }
        node.put("summary", summary(console, printk, panicTimeNs, atPanic, queued - onWire));
    }

    private static String summary(SerialConsole console, Printk printk, long panicTimeNs, SerialConsole.Backlog atPanic,
            int cut) {
        StringBuilder text = new StringBuilder();
        if (atPanic != null) {
            text.append(String.format(Locale.ROOT,
                    "at the panic (%s s) %d lines (%d chars) were still waiting for the %d-baud UART, %s s of output"
                            + (printk.consoleThreaded() ? " (in the ring, for the printer kthread)" : ""),
                    seconds(panicTimeNs), atPanic.lines(), atPanic.chars(), console.baud(),
                    seconds(atPanic.chars() * 1_000_000_000L / console.charsPerSecond())));
        } else {
            text.append(String.format(Locale.ROOT, "the UART's backlog peaked at %d chars (%s s of output)",
                    console.maxBacklogChars(), seconds(console.maxBacklogChars() * 1_000_000_000L
                            / console.charsPerSecond())));
        }
        if (cut > 0) {
            text.append(String.format(Locale.ROOT, "; %d queued lines never left the UART", cut));
        }
        if (printk.recordsNotPrinted() > 0) {
            text.append(String.format(Locale.ROOT,
                    printk.consoleThreaded() ? "; %d records stayed in the ring unprinted (no printer got to them)"
                            : "; %d records stayed in the ring unprinted (deferred from NMI context, or not reached"
                                    + " by the console_lock holder)",
                    printk.recordsNotPrinted()));
        }
        return text.toString();
    }

    private static String seconds(long ns) {
        return String.format(Locale.ROOT, "%d.%06d", ns / 1_000_000_000L, ns % 1_000_000_000L / 1000);
    }
}
