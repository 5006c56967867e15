package dev.nmilab.kdump.printk;

import dev.nmilab.kernel.lock.PrintkCpuSync;
import dev.nmilab.kernel.panic.Panic;
import dev.nmilab.kernel.printk.Printk;
import dev.nmilab.kernel.printk.SerialConsole;
import dev.nmilab.kernel.task.Action;
import dev.nmilab.kernel.task.KernelScheduler;
import dev.nmilab.kernel.task.Task;
import dev.nmilab.kernel.task.TaskContext;

/**
 * The console's printer kthread, "pr/ttyS0" (the rt printk's printk_kthread_func, nbcon's
 * nbcon_kthread_func): it sleeps until printk stores a record, then writes the records one at a
 * time and spends the UART's time doing so. For each record it turns interrupts off (the port
 * lock) and takes the console: printk_cpu_sync in the rt printk, so it spins, interrupts still
 * off, while another CPU holds that; nbcon ownership otherwise, which it gives up to a panic CPU.
 */
final class ConsolePrinter {
    static final String COMM = "pr/ttyS0";
    /**
     * The printing loop's own cost between two records (unlock, prb_read_valid and formatting the
     * next record, relock). Longer than a scheduling quantum, so a CPU spinning on printk_cpu_sync
     * sees it free between records, as a spinner watching the lock's cache line would.
     */
    private static final long LOOP_NS = 20_000;

    private enum Phase { IDLE, OWNING, WRITTEN }

    private final Printk printk;
    private final Panic panic;
    private final ConsoleOwnership ownership;
    private final PrintkCpuSync cpuSync;
    private final NbconOwner nbcon;
    private Phase phase = Phase.IDLE;
    private Task task;
    private long recordsPrinted;

    ConsolePrinter(Printk printk, Panic panic, ConsoleOwnership ownership, PrintkCpuSync cpuSync, NbconOwner nbcon) {
        this.printk = printk;
        this.panic = panic;
        this.ownership = ownership;
        this.cpuSync = cpuSync;
        this.nbcon = nbcon;
    }

    /** Start the kthread on {@code cpu}; from now on printk() only stores and wakes it. */
    void start(KernelScheduler scheduler, int cpu) {
        task = scheduler.spawnKthread(COMM, cpu, "printk_kthread_func", this::next);
        printk.useConsoleThread(() -> scheduler.wake(task));
    }

    long recordsPrinted() {
        return recordsPrinted;
    }

    private Action next(TaskContext context) {
        int cpu = context.processorId();
        while (true) {
            switch (phase) {
                case IDLE -> {
                    if (printk.nextForConsole().isEmpty() || panicElsewhere(cpu)) {
                        return new Action.Wait();
                    }
                    context.localIrqDisable(); // uart_port_lock_irqsave
                    phase = Phase.OWNING;
                    if (ownership == ConsoleOwnership.CPU_SYNC) {
                        return new Action.Acquire(cpuSync);
                    }
                    if (!nbcon.tryAcquire(cpu)) {
                        phase = Phase.IDLE;
                        context.localIrqEnable();
                        return new Action.Wait();
                    }
                }
                case OWNING -> {
                    phase = Phase.WRITTEN;
                    long now = context.now();
                    SerialConsole.Line line = printk.emitNext(cpu, now);
                    if (line != null) {
                        recordsPrinted++;
                        return new Action.Busy(line.writerBusyNs(now));
                    }
                }
                case WRITTEN -> {
                    if (ownership == ConsoleOwnership.CPU_SYNC) {
                        cpuSync.put(cpu);
                    } else {
                        nbcon.release(cpu); // a no-op when the panic CPU took it over meanwhile
                    }
                    context.localIrqEnable();
                    phase = Phase.IDLE;
                    return new Action.Busy(LOOP_NS); // a pending interrupt gets in before the next record
                }
            }
        }
    }

    /** nbcon printers leave the console to the panic CPU; the rt printer does not know about panics. */
    private boolean panicElsewhere(int cpu) {
        return ownership == ConsoleOwnership.NBCON && panic.inProgress() && panic.panicCpu() != cpu;
    }
}
