package dev.nmilab.kdump.printk;

import dev.nmilab.event.Note;
import dev.nmilab.kdump.kexec.KdumpSubsystem;
import dev.nmilab.kernel.lock.PrintkCpuSync;
import dev.nmilab.kernel.panic.KernelOutcome;
import dev.nmilab.kernel.panic.Panic;
import dev.nmilab.kernel.printk.LogLevel;
import dev.nmilab.kernel.printk.LogRecord;
import dev.nmilab.kernel.printk.SerialConsole;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.runtime.KernelServices;
import dev.nmilab.kernel.task.Action;
import dev.nmilab.kernel.task.TaskContext;
import dev.nmilab.x86.Cpu;
import java.util.List;
import java.util.Optional;

/**
 * panic() for the kernels whose printer is a kthread ({@link PrintkFlavor}), as one CPU lives
 * it: the message; dump_stack under printk_cpu_sync; pr_flush when the CPU may sleep; the
 * atomic console flush of every record stored before the panic, the CPU writing each to the
 * UART itself (console_flush_on_panic(CONSOLE_ATOMIC_FLUSH_PENDING) in the rt printk, the panic
 * CPU's nbcon_atomic_flush_pending); then the other CPUs are stopped and crash_kexec runs.
 * The panic CPU spends the UART time, so a backlog makes this take seconds of virtual time.
 */
final class RtPanic implements Panic.PanicPath {
    private static final long MSEC = 1_000_000L;
    private static final long PR_FLUSH_TIMEOUT_NS = 1_000 * MSEC;
    /** pr_flush looks at the printers' progress between msleep(100)s. */
    private static final long PR_FLUSH_POLL_NS = 100 * MSEC;

    private enum Step { DUMP_STACK, DUMP_STACK_PRINT, PR_FLUSH, FLUSH_LOCK, FLUSH, STOP, STOP_DONE, KEXEC }

    private final KernelRuntime runtime;
    private final KdumpSubsystem kdump;
    private final PrintkFlavor flavor;
    private final PrintkCpuSync cpuSync;
    private final NbconOwner nbcon;
    private int panicCpu = -1;
    private long flushStartNs = -1;
    private long flushEndNs = -1;
    private long recordsFlushed;

    RtPanic(KernelRuntime runtime, KdumpSubsystem kdump, PrintkFlavor flavor, PrintkCpuSync cpuSync, NbconOwner nbcon) {
        this.runtime = runtime;
        this.kdump = kdump;
        this.flavor = flavor;
        this.cpuSync = cpuSync;
        this.nbcon = nbcon;
    }

    /** When the panic CPU's console flush began and ended (-1 when it did not), and how many records it wrote. */
    long flushStartNs() {
        return flushStartNs;
    }

    long flushEndNs() {
        return flushEndNs;
    }

    /** The first CPU that called panic(), or -1. */
    int panicCpu() {
        return panicCpu;
    }

    long recordsFlushed() {
        return recordsFlushed;
    }

    @Override
    public void panic(int cpu, String message, boolean inNmi) {
        KernelServices services = runtime.services();
        Cpu self = runtime.machine().cpu(cpu);
        if (panicCpu >= 0 && panicCpu != cpu && flavor.panicCpuGuard()) {
            kdump.selfStop(cpu, inNmi); // nmi_panic: panic_cpu is taken
            return;
        }
        if (panicCpu < 0) {
            panicCpu = cpu;
        }
        services.outcome().panicked(cpu, message, self.now());
        runtime.machine().events().publish(new Note(self.now(), cpu, "panic", message));
        services.printk().printk(cpu, LogLevel.KERN_EMERG, "Kernel panic - not syncing: " + message);
        String context = services.die().interruptContext(cpu);
        var task = services.scheduler().current(cpu);
        Step[] step = {Step.DUMP_STACK};
        long[] snapshot = {-1};
        long[] lastProgress = {0, -1};
        services.scheduler().runContinuation(self, "panic", ctx -> {
            while (true) {
                switch (step[0]) {
                    case DUMP_STACK -> {
                        step[0] = Step.DUMP_STACK_PRINT;
                        if (flavor.ownership() == ConsoleOwnership.CPU_SYNC) {
                            return new Action.Acquire(cpuSync); // dump_stack_lvl: printk_cpu_sync_get_irqsave
                        }
                    }
                    case DUMP_STACK_PRINT -> {
                        services.die().printInfo(cpu, task);
                        services.die().callTrace(cpu, task, context, List.of("dump_stack_lvl", "panic"));
                        if (flavor.ownership() == ConsoleOwnership.CPU_SYNC) {
                            cpuSync.put(cpu);
                        }
                        snapshot[0] = services.printk().newestSequence();
                        step[0] = inNmi || !flavor.prFlushInTask() ? Step.FLUSH_LOCK : Step.PR_FLUSH;
                        if (step[0] == Step.PR_FLUSH) {
                            ctx.cpu().setInterruptsEnabled(true); // pr_flush sleeps: the printers run
                            lastProgress[0] = ctx.now();
                        }
                    }
                    case PR_FLUSH -> {
                        Action wait = prFlush(ctx, snapshot[0], lastProgress);
                        if (wait != null) {
                            return wait;
                        }
                        ctx.cpu().setInterruptsEnabled(false); // local_irq_disable()
                        step[0] = Step.FLUSH_LOCK;
                    }
                    case FLUSH_LOCK -> {
                        step[0] = Step.FLUSH;
                        if (cpu == panicCpu) {
                            flushStartNs = ctx.now();
                        }
                        if (flavor.ownership() == ConsoleOwnership.CPU_SYNC) {
                            return new Action.Acquire(cpuSync); // held across the whole flush
                        }
                        nbcon.takeOver(cpu);
                    }
                    case FLUSH -> {
                        Optional<LogRecord> next = services.printk().nextForConsole();
                        if (next.isPresent() && next.get().sequence() <= snapshot[0]) {
                            long now = ctx.now();
                            SerialConsole.Line line = services.printk().emitNext(cpu, now);
                            if (line != null) {
                                recordsFlushed += cpu == panicCpu ? 1 : 0;
                                return new Action.Busy(line.writerBusyNs(now));
                            }
                            continue;
                        }
                        if (cpu == panicCpu) {
                            flushEndNs = ctx.now();
                        }
                        step[0] = flavor.stopInsideConsoleFlush() ? Step.STOP : Step.STOP_DONE;
                    }
                    case STOP -> {
                        step[0] = Step.STOP_DONE;
                        kdump.crashStopOthers(ctx.cpu()); // and wait for every one, printk_cpu_sync still held
                        return new Action.Acquire(kdump.crashStopDone());
                    }
                    case STOP_DONE -> {
                        if (flavor.ownership() == ConsoleOwnership.CPU_SYNC) {
                            cpuSync.put(cpu);
                        }
                        step[0] = Step.KEXEC;
                    }
                    case KEXEC -> {
                        if (kdump.crashKexec(cpu)) {
                            return new Action.Busy(1); // __crash_kexec owns the CPU now
                        }
                        return endWithoutKdump(ctx, message);
                    }
                }
            }
        });
    }

    /**
     * pr_flush(1000, true): sleep (msleep(100) at a time) until the printers have written every
     * record stored before the panic, giving up after a second in which they made no progress.
     */
    private Action prFlush(TaskContext ctx, long snapshot, long[] lastProgress) {
        Optional<LogRecord> next = runtime.services().printk().nextForConsole();
        if (next.isEmpty() || next.get().sequence() > snapshot) {
            return null;
        }
        if (next.get().sequence() != lastProgress[1]) {
            lastProgress[1] = next.get().sequence();
            lastProgress[0] = ctx.now();
        }
        return ctx.now() - lastProgress[0] < PR_FLUSH_TIMEOUT_NS ? new Action.Busy(PR_FLUSH_POLL_NS) : null;
    }

    private Action endWithoutKdump(TaskContext ctx, String message) {
        int cpu = ctx.processorId();
        runtime.services().printk().printk(cpu, LogLevel.KERN_EMERG,
                "---[ end Kernel panic - not syncing: " + message + " ]---");
        ctx.cpu().haltForever("panic");
        runtime.services().outcome().ended(KernelOutcome.Ending.HALTED, "panic on CPU " + cpu + ": " + message);
        runtime.machine().scheduler().stop("panic");
        return new Action.Exit();
    }
}
