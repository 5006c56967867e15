package dev.nmilab.kdump.printk;

/**
 * The ownership of one nbcon console (kernel/printk/nbcon.c: nbcon_context_try_acquire): free or
 * owned by a CPU; the panic CPU takes it over whoever holds it (the hostile takeover of
 * nbcon_atomic_flush_pending in panic), and the loser learns it at its next check.
 */
final class NbconOwner {
    private int owner = -1;

    /** nbcon_context_try_acquire at normal priority: fails while someone else owns it. */
    boolean tryAcquire(int cpu) {
        if (owner >= 0 && owner != cpu) {
            return false;
        }
        owner = cpu;
        return true;
    }

    /** The panic CPU's takeover: it owns the console from now on. */
    void takeOver(int cpu) {
        owner = cpu;
    }

    boolean ownedBy(int cpu) {
        return owner == cpu;
    }

    void release(int cpu) {
        if (owner == cpu) {
            owner = -1;
        }
    }
}
