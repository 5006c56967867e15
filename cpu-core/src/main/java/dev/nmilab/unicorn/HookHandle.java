package dev.nmilab.unicorn;

import java.lang.foreign.Arena;

/** A registered hook. Closing it removes the hook; its upcall stub is freed once no run uses it. */
public final class HookHandle implements AutoCloseable {
    private final Unicorn engine;
    final long id;
    final Arena arena;
    final Upcalls.Upcall target;
    private boolean removed;

    HookHandle(Unicorn engine, long id, Arena arena, Upcalls.Upcall target) {
        this.engine = engine;
        this.id = id;
        this.arena = arena;
        this.target = target;
    }

    @Override
    public void close() {
        if (!removed) {
            removed = true;
            engine.removeHook(this);
        }
    }
}
