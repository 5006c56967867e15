package dev.nmilab.unicorn;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Java hooks on single instruction addresses, and the hashed bitmap the native hooks filter
 * them with (see {@link InstructionCounter}). Several hooks may share an address; they run in
 * the order they were added.
 */
final class Sites {
    private final TreeMap<Long, List<SiteHook>> byAddress = new TreeMap<>(Long::compareUnsigned);
    private final InstructionCounter counter;
    private boolean closed;

    Sites(InstructionCounter counter) {
        this.counter = counter;
    }

    SiteHook add(long address, Hooks.CodeHook hook) {
        SiteHook site = new SiteHook(this, address, hook);
        byAddress.computeIfAbsent(address, a -> new ArrayList<>()).add(site);
        counter.setSites(byAddress.keySet());
        return site;
    }

    void remove(SiteHook site) {
        if (closed) {
            return; // the engine, and the bitmap with it, is gone
        }
        List<SiteHook> here = byAddress.get(site.address);
        here.remove(site);
        if (here.isEmpty()) {
            byAddress.remove(site.address);
        }
        counter.setSites(byAddress.keySet());
    }

    boolean has(long address) {
        return byAddress.containsKey(address);
    }

    /** Site addresses in [begin, end). */
    Set<Long> within(long begin, long end) {
        return byAddress.subMap(begin, end).keySet();
    }

    /** Run the hooks at {@code address}; a false hit of the bitmap finds none. */
    void run(long address, int size) {
        List<SiteHook> here = byAddress.get(address);
        if (here == null) {
            return;
        }
        for (SiteHook site : List.copyOf(here)) {
            if (!site.removed) {
                site.hook.onCode(address, size);
            }
        }
    }

    void close() {
        closed = true;
    }
}
