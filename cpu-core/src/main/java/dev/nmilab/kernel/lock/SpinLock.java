package dev.nmilab.kernel.lock;

/**
 * A lock Java kernel code spins on ({@code Action.Acquire}): who holds it and since when is what
 * the hang detector follows from a spinning CPU to the owner's CPU.
 */
public interface SpinLock {
    String name();

    /** One attempt: true when {@code cpu} now holds the lock. */
    boolean tryLock(int cpu, String who, long now);

    boolean isLocked();

    /** The owning CPU, or -1. */
    int ownerCpu();

    String ownerName();

    long heldSince();
}
