package dev.nmilab.kernel.lock;

/** The bookkeeping every {@link SpinLock} shares: its owner, since when, and how often it was taken or contended. */
abstract class OwnedLock implements SpinLock {
    private final String name;
    private int ownerCpu = -1;
    private String ownerName = "";
    private long since;
    private long acquisitions;
    private long contentions;

    OwnedLock(String name) {
        this.name = name;
    }

    final void take(int cpu, String who, long now) {
        ownerCpu = cpu;
        ownerName = who;
        since = now;
        acquisitions++;
    }

    final void contended() {
        contentions++;
    }

    final void release() {
        ownerCpu = -1;
        ownerName = "";
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final boolean isLocked() {
        return ownerCpu >= 0;
    }

    @Override
    public final int ownerCpu() {
        return ownerCpu;
    }

    @Override
    public final String ownerName() {
        return ownerName;
    }

    @Override
    public final long heldSince() {
        return since;
    }

    public final long acquisitions() {
        return acquisitions;
    }

    public final long contentions() {
        return contentions;
    }
}
