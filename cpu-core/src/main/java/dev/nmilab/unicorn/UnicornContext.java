package dev.nmilab.unicorn;

import java.lang.foreign.MemorySegment;

/** A saved CPU context (registers, not memory) of one engine; free it with close(). */
public final class UnicornContext implements AutoCloseable {
    private final Unicorn owner;
    private MemorySegment handle;

    UnicornContext(Unicorn owner, MemorySegment handle) {
        this.owner = owner;
        this.handle = handle;
    }

    MemorySegment handle(Unicorn engine) {
        if (handle == null) {
            throw new IllegalStateException("context already freed");
        }
        if (engine != owner) {
            throw new IllegalArgumentException("context belongs to another engine");
        }
        return handle;
    }

    @Override
    public void close() {
        if (handle != null) {
            owner.freeContext(handle);
            handle = null;
        }
    }
}
