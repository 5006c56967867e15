package dev.nmilab.kernel.printk;

import dev.nmilab.event.ConsoleLine;
import dev.nmilab.event.EventBus;
import dev.nmilab.kernel.sysctl.Sysctls;
import dev.nmilab.smp.Machine;
import java.util.function.IntUnaryOperator;

/**
 * printk's first implementation (kernel/printk/printk.c, without the console model): every
 * message becomes a record in the printk_ringbuffer; those below the console loglevel (the first
 * field of kernel.printk) go to a console that prints at once.
 */
public final class KernelLog implements Printk {
    private final Machine machine;
    private final PrintkRingbuffer buffer;
    private final Sysctls sysctls;
    private final EventBus events;
    private final IntUnaryOperator currentPid;
    private final StringBuilder console = new StringBuilder();
    private long sequence;

    /** @param currentPid the pid running on a CPU, or -1 in interrupt context / idle */
    public KernelLog(Machine machine, PrintkRingbuffer buffer, Sysctls sysctls, IntUnaryOperator currentPid) {
        this.machine = machine;
        this.buffer = buffer;
        this.sysctls = sysctls;
        this.events = machine.events();
        this.currentPid = currentPid;
    }

    @Override
    public void printk(int cpu, LogLevel level, String text) {
        long now = machine.cpu(cpu).now();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty() && text.endsWith("\n")) {
                continue;
            }
            buffer.append(new LogRecord(sequence++, now, level, cpu, currentPid.applyAsInt(cpu), line));
            if (level.level() < consoleLoglevel()) {
                console.append(DmesgFormat.line(now, line)).append('\n');
                events.publish(new ConsoleLine(now, cpu, line));
            }
        }
    }

    private int consoleLoglevel() {
        return sysctls.intVector("kernel.printk").get(0);
    }

    @Override
    public String consoleText() {
        return console.toString();
    }

    public PrintkRingbuffer buffer() {
        return buffer;
    }
}
