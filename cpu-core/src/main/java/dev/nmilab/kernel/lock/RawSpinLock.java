package dev.nmilab.kernel.lock;

/**
 * A spinlock taken by Java kernel code on some CPU. Who holds it and since when is what the
 * hang detector follows: a CPU spinning here waits for the owner's CPU.
 */
public final class RawSpinLock extends OwnedLock {
    public RawSpinLock(String name) {
        super(name);
    }

    /** raw_spin_trylock: true when taken. */
    @Override
    public boolean tryLock(int cpu, String who, long now) {
        if (isLocked()) {
            contended();
            return false;
        }
        take(cpu, who, now);
        return true;
    }

    public void unlock(int cpu) {
        if (ownerCpu() != cpu) {
            throw new IllegalStateException("lock " + name() + " released by CPU " + cpu + " but held by CPU " + ownerCpu());
        }
        release();
    }
}
