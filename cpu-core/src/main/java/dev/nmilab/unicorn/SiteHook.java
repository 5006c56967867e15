package dev.nmilab.unicorn;

/** A hook on one instruction address ({@link Unicorn#addSiteHook}), removed by close(). */
public final class SiteHook implements AutoCloseable {
    private final Sites sites;
    final long address;
    final Hooks.CodeHook hook;
    boolean removed;

    SiteHook(Sites sites, long address, Hooks.CodeHook hook) {
        this.sites = sites;
        this.address = address;
        this.hook = hook;
    }

    @Override
    public void close() {
        if (!removed) {
            removed = true;
            sites.remove(this);
        }
    }
}
