package dev.nmilab.kernel.lock;

/**
 * A spinlock taken by Java kernel code on some CPU. Who holds it and since when is what the
 * hang detector follows: a CPU spinning here waits for the owner's CPU.
 */
public final class RawSpinLock implements SpinLock {
    private final String name;
    private int ownerCpu = -1;
    private String ownerName = "";
    private long since;
    private long acquisitions;
    private long contentions;

    public RawSpinLock(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isLocked() {
        return ownerCpu >= 0;
    }

    /** raw_spin_trylock: true when taken. */
    @Override
    public boolean tryLock(int cpu, String who, long now) {
        if (ownerCpu >= 0) {
            contentions++;
            return false;
        }
        ownerCpu = cpu;
        ownerName = who;
        since = now;
        acquisitions++;
        return true;
    }

    public void unlock(int cpu) {
        if (ownerCpu != cpu) {
            throw new IllegalStateException("lock " + name + " released by CPU " + cpu + " but held by CPU " + ownerCpu);
        }
        ownerCpu = -1;
        ownerName = "";
    }

    @Override
    public int ownerCpu() {
        return ownerCpu;
    }

    @Override
    public String ownerName() {
        return ownerName;
    }

    @Override
    public long heldSince() {
        return since;
    }

    public long acquisitions() {
        return acquisitions;
    }

    public long contentions() {
        return contentions;
    }
}
