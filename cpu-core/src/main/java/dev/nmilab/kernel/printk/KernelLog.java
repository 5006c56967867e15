package dev.nmilab.kernel.printk;

import dev.nmilab.event.ConsoleLine;
import dev.nmilab.event.EventBus;
import dev.nmilab.event.IretExecuted;
import dev.nmilab.kernel.percpu.PerCpuArea;
import dev.nmilab.kernel.preempt.PreemptCount;
import dev.nmilab.kernel.sysctl.Sysctls;
import dev.nmilab.smp.Machine;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntUnaryOperator;

/**
 * printk as 6.1 does it (kernel/printk/printk.c, printk_safe.c): every message is a record in the
 * printk_ringbuffer at once. Outside NMI context the caller then prints every record the console
 * has not printed yet (console_trylock + console_unlock); in NMI context vprintk() only stores
 * and defers the printing to an irq_work, which runs once the CPU is out of NMI context. Records
 * at or above the console loglevel (the first field of kernel.printk) are skipped, not printed.
 * The printer is modelled as getting the console at once: the time goes into the UART's backlog
 * ({@link SerialConsole}), not into the printing CPU.
 */
public final class KernelLog implements Printk {
    private final Machine machine;
    private final PrintkRingbuffer buffer;
    private final Sysctls sysctls;
    private final EventBus events;
    private final IntUnaryOperator currentPid;
    private final SerialConsole console;
    private final Deque<LogRecord> notPrinted = new ArrayDeque<>();
    private long sequence;
    private Runnable consoleThreadWakeup;
    private java.util.function.IntPredicate dropFrom = cpu -> false;
    private final ConsoleSem consoleSem = new ConsoleSem();
    private dev.nmilab.kernel.task.KernelScheduler tasks;
    private final java.util.BitSet unlockQueued = new java.util.BitSet();
    /** Per record, by sequence: when it was stored and when the UART got it (-1: not yet, -2: never, its level). */
    private long[] storedNs = new long[1024];
    private long[] handedNs = new long[1024];
    private int[] wireChars = new int[1024];

    /** @param currentPid the pid running on a CPU, or -1 in interrupt context / idle */
    public KernelLog(Machine machine, PrintkRingbuffer buffer, Sysctls sysctls, SerialConsole console,
            IntUnaryOperator currentPid) {
        this.machine = machine;
        this.buffer = buffer;
        this.sysctls = sysctls;
        this.console = console;
        this.events = machine.events();
        this.currentPid = currentPid;
        // the deferred irq_work: the first IRET that leaves NMI context lets the CPU print
        events.subscribe(event -> {
            if (event instanceof IretExecuted iret && consoleThreadWakeup == null && !notPrinted.isEmpty()
                    && !inNmi(iret.cpu()) && !consoleSem.locked()) {
                printPending(iret.cpu(), iret.timeNs());
            }
        });
    }

    @Override
    public void printk(int cpu, LogLevel level, String text) {
        if (dropFrom.test(cpu)) {
            return;
        }
        long now = machine.cpu(cpu).now();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty() && text.endsWith("\n")) {
                continue;
            }
            LogRecord record = new LogRecord(sequence++, now, level, cpu, currentPid.applyAsInt(cpu), line);
            track(record);
            buffer.append(record);
            notPrinted.add(record);
        }
        if (consoleThreadWakeup != null) {
            consoleThreadWakeup.run();
        } else if (!inNmi(cpu)) {
            consoleTrylockAndUnlock(cpu, now);
        }
    }

    /** The scheduler whose tasks print themselves (console_unlock in their own time). */
    public void attach(dev.nmilab.kernel.task.KernelScheduler scheduler) {
        this.tasks = scheduler;
    }

    /**
     * console_trylock_spinning + console_unlock: a task does it in its own time; a context that
     * cannot spend time here (an interrupt handler, a panic path) prints at once unless a task
     * holds the console, whose console_unlock then prints these records too.
     */
    private void consoleTrylockAndUnlock(int cpu, long now) {
        if (tasks != null && !unlockQueued.get(cpu)
                && tasks.callFromTask(cpu, new ConsoleUnlock(this, consoleSem, () -> unlockQueued.clear(cpu)))) {
            unlockQueued.set(cpu);
            return;
        }
        if (unlockQueued.get(cpu) || consoleSem.locked()) {
            return;
        }
        printPending(cpu, now);
    }

    private boolean inNmi(int cpu) {
        return PreemptCount.inNmi(PerCpuArea.preemptCount(machine.kernelSpace(), cpu).value());
    }

    // console_unlock: every record after the console's sequence, in order, whoever stored it
    private void printPending(int cpu, long now) {
        while (!notPrinted.isEmpty()) {
            emitNext(cpu, now);
        }
    }

    @Override
    public void useConsoleThread(Runnable wakeup) {
        this.consoleThreadWakeup = java.util.Objects.requireNonNull(wakeup);
    }

    @Override
    public java.util.Optional<LogRecord> nextForConsole() {
        return java.util.Optional.ofNullable(notPrinted.peek());
    }

    private void track(LogRecord record) {
        int seq = Math.toIntExact(record.sequence());
        if (seq == storedNs.length) {
            storedNs = java.util.Arrays.copyOf(storedNs, seq * 2);
            handedNs = java.util.Arrays.copyOf(handedNs, seq * 2);
            wireChars = java.util.Arrays.copyOf(wireChars, seq * 2);
        }
        storedNs[seq] = record.timestampNs();
        handedNs[seq] = -1;
        wireChars[seq] = DmesgFormat.lineLength(record.timestampNs(), record.text()) + 2;
    }

    @Override
    public SerialConsole.Line emitNext(int cpu, long nowNs) {
        LogRecord record = notPrinted.poll();
        if (record == null) {
            return null;
        }
        int seq = (int) record.sequence();
        if (record.level().level() >= sysctls.intVector("kernel.printk").get(0)) {
            handedNs[seq] = -2;
            return null;
        }
        handedNs[seq] = nowNs;
        SerialConsole.Line line = console.write(nowNs, cpu, DmesgFormat.line(record.timestampNs(), record.text()));
        events.publish(new ConsoleLine(nowNs, cpu, record.text()));
        return line;
    }

    @Override
    public long newestSequence() {
        return sequence - 1;
    }

    @Override
    public void dropRecordsFrom(java.util.function.IntPredicate drop) {
        this.dropFrom = java.util.Objects.requireNonNull(drop);
    }

    @Override
    public boolean consoleThreaded() {
        return consoleThreadWakeup != null;
    }

    @Override
    public SerialConsole.Backlog unhandedAt(long ns) {
        long lines = 0;
        long chars = 0;
        int loglevel = sysctls.intVector("kernel.printk").get(0);
        for (LogRecord waiting : notPrinted) { // never handed: whether they print is decided by level now
            if (waiting.timestampNs() < ns && waiting.level().level() < loglevel) {
                lines++;
                chars += wireChars[(int) waiting.sequence()];
            }
        }
        for (int seq = 0; seq < sequence && storedNs[seq] < ns; seq++) {
            if (handedNs[seq] >= ns) {
                lines++;
                chars += wireChars[seq];
            }
        }
        return new SerialConsole.Backlog(lines, chars);
    }

    @Override
    public void consoleFlushOnPanic(int cpu) {
        printPending(cpu, machine.cpu(cpu).now());
    }

    @Override
    public void consoleHandOver(long ns) {
        console.handOver(ns);
    }

    @Override
    public String consoleText() {
        StringBuilder text = new StringBuilder();
        for (SerialConsole.Line line : console.onWire()) {
            text.append(line.text()).append('\n');
        }
        return text.toString();
    }

    @Override
    public SerialConsole serialConsole() {
        return console;
    }

    @Override
    public long recordsNotPrinted() {
        return notPrinted.size();
    }

    public PrintkRingbuffer buffer() {
        return buffer;
    }
}
