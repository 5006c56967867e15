package dev.nmilab.kernel.printk;

import dev.nmilab.kernel.task.Action;
import dev.nmilab.kernel.task.TaskBody;
import dev.nmilab.kernel.task.TaskContext;

/**
 * What printk() does after storing, in a task (6.1 vprintk_emit): console_trylock_spinning, then
 * console_unlock, the caller writing every pending record itself and spending the UART's time
 * with interrupts off for each; after each record it hands the lock to a waiter if one queued
 * up, and so its caller gets back to work.
 */
final class ConsoleUnlock implements TaskBody {
    /** The printing loop's own cost between records; a pending interrupt gets in meanwhile. */
    private static final long LOOP_NS = 1_000;

    private enum Step { TRY, WAITED, PRINT, WRITTEN }

    private final KernelLog log;
    private final ConsoleSem sem;
    private final Runnable done;
    private Step step = Step.TRY;
    private boolean irqsWereOn;

    ConsoleUnlock(KernelLog log, ConsoleSem sem, Runnable done) {
        this.log = log;
        this.sem = sem;
        this.done = done;
    }

    @Override
    public Action next(TaskContext context) {
        int cpu = context.processorId();
        while (true) {
            switch (step) {
                case TRY -> {
                    irqsWereOn = context.cpu().interruptsEnabled();
                    if (sem.tryLock(cpu)) {
                        step = Step.PRINT;
                    } else if (sem.becomeWaiter(cpu, context.now())) {
                        context.localIrqDisable(); // printk_safe_enter_irqsave
                        step = Step.WAITED;
                        return new Action.Acquire(sem.handOver());
                    } else {
                        return exit(); // the holder prints this record too
                    }
                }
                case WAITED -> {
                    restoreIrqs(context);
                    step = Step.PRINT;
                }
                case PRINT -> {
                    if (log.nextForConsole().isEmpty()) {
                        sem.unlock(cpu);
                        // the re-check of console_unlock: a record stored meanwhile, and the lock still free
                        if (log.nextForConsole().isEmpty() || !sem.tryLock(cpu)) {
                            return exit();
                        }
                        continue;
                    }
                    context.localIrqDisable();
                    sem.writing(cpu);
                    step = Step.WRITTEN;
                    long now = context.now();
                    var line = log.emitNext(cpu, now);
                    if (line != null) {
                        return new Action.Busy(line.writerBusyNs(now));
                    }
                }
                case WRITTEN -> {
                    boolean handedOver = sem.handOverIfWaited(cpu);
                    restoreIrqs(context);
                    if (handedOver) {
                        return exit();
                    }
                    step = Step.PRINT;
                    return new Action.Busy(LOOP_NS);
                }
            }
        }
    }

    private void restoreIrqs(TaskContext context) {
        if (irqsWereOn) {
            context.localIrqEnable();
        }
    }

    private Action exit() {
        done.run();
        return new Action.Exit();
    }
}
