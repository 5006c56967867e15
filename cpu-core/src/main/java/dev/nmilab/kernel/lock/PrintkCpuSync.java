package dev.nmilab.kernel.lock;

/**
 * printk's machine-wide CPU lock (kernel/printk/printk.c: __printk_cpu_sync_try_get,
 * __printk_cpu_sync_put, __printk_cpu_sync_wait; printk_cpu_sync_get_irqsave spins on it): one
 * CPU owns it, the owner may take it again (a nesting count, as dump_stack inside an NMI inside
 * dump_stack does), any other CPU spins until the owner has put it as often as it got it. It is
 * not a task lock: it belongs to the CPU, so a CPU stopped while owning it never lets it go.
 */
public final class PrintkCpuSync extends OwnedLock {
    public static final String NAME = "printk_cpu_sync";

    private int nested;

    public PrintkCpuSync() {
        super(NAME);
    }

    @Override
    public boolean tryLock(int cpu, String who, long now) {
        if (cpu < 0) {
            throw new IllegalArgumentException("no CPU " + cpu);
        }
        if (!isLocked()) {
            take(cpu, who, now);
            return true;
        }
        if (ownerCpu() == cpu) {
            nested++;
            return true;
        }
        contended();
        return false;
    }

    /** __printk_cpu_sync_put: undo one get; the lock is free after the outermost one. */
    public void put(int cpu) {
        if (ownerCpu() != cpu) {
            throw new IllegalStateException(NAME + " put by CPU " + cpu + " but owned by CPU " + ownerCpu());
        }
        if (nested > 0) {
            nested--;
            return;
        }
        release();
    }

    /** Gets beyond the first that the owner has not put yet. */
    public int nested() {
        return nested;
    }
}
