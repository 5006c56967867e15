package dev.nmilab.unicorn;

import java.lang.foreign.MemorySegment;

/**
 * The Java ends of the engine's hooks: each catches what its hook throws (it must not unwind
 * through native frames) and stops the run instead.
 */
final class Upcalls {
    private Upcalls() {
    }

    /**
     * A Java hook behind an upcall stub. Unicorn 2.0.1 goes on calling a deleted hook until the
     * run in which it was deleted ends, and frees it only when a run ends: so a removed hook is
     * marked here (and not called), and its stub lives until the next run is over.
     */
    abstract static class Upcall {
        final Unicorn engine;
        boolean removed;

        Upcall(Unicorn engine) {
            this.engine = engine;
        }

        /** A removed hook, or one called after an earlier hook of this run threw, does nothing. */
        boolean skip() {
            return removed || engine.hookFailed();
        }
    }

    static final class CodeUpcall extends Upcall {
        private final Hooks.CodeHook hook;

        CodeUpcall(Unicorn engine, Hooks.CodeHook hook) {
            super(engine);
            this.hook = hook;
        }

        @SuppressWarnings("unused")
        void call(MemorySegment uc, long address, int size, MemorySegment user) {
            if (skip()) {
                return;
            }
            try {
                hook.onCode(address, size);
            } catch (Throwable t) {
                engine.hookThrew(t);
            }
        }
    }

    static final class InterruptUpcall extends Upcall {
        private final Hooks.InterruptHook hook;

        InterruptUpcall(Unicorn engine, Hooks.InterruptHook hook) {
            super(engine);
            this.hook = hook;
        }

        @SuppressWarnings("unused")
        void call(MemorySegment uc, int vector, MemorySegment user) {
            if (skip()) {
                return;
            }
            try {
                engine.syncToRip();
                hook.onInterrupt(vector);
            } catch (Throwable t) {
                engine.hookThrew(t);
            }
        }
    }

    static final class InvalidUpcall extends Upcall {
        private final Hooks.InvalidInstructionHook hook;

        InvalidUpcall(Unicorn engine, Hooks.InvalidInstructionHook hook) {
            super(engine);
            this.hook = hook;
        }

        @SuppressWarnings("unused")
        boolean call(MemorySegment uc, MemorySegment user) {
            if (skip()) {
                return false;
            }
            try {
                engine.syncToRip();
                return hook.onInvalidInstruction();
            } catch (Throwable t) {
                engine.hookThrew(t);
                return false;
            }
        }
    }

    static final class MemoryUpcall extends Upcall {
        private final Hooks.MemoryFaultHook hook;

        MemoryUpcall(Unicorn engine, Hooks.MemoryFaultHook hook) {
            super(engine);
            this.hook = hook;
        }

        @SuppressWarnings("unused")
        boolean call(MemorySegment uc, int type, long address, int size, long value, MemorySegment user) {
            if (skip()) {
                return false;
            }
            try {
                return engine.asDataHook(() -> hook.onFault(MemoryAccess.of(type), address, size, value));
            } catch (Throwable t) {
                engine.hookThrew(t);
                return false;
            }
        }
    }

    static final class PortInUpcall extends Upcall {
        private final Hooks.PortInHook hook;

        PortInUpcall(Unicorn engine, Hooks.PortInHook hook) {
            super(engine);
            this.hook = hook;
        }

        @SuppressWarnings("unused")
        int call(MemorySegment uc, int port, int size, MemorySegment user) {
            if (skip()) {
                return 0;
            }
            try {
                return engine.asDataHook(() -> hook.in(port, size));
            } catch (Throwable t) {
                engine.hookThrew(t);
                return 0;
            }
        }
    }

    static final class PortOutUpcall extends Upcall {
        private final Hooks.PortOutHook hook;

        PortOutUpcall(Unicorn engine, Hooks.PortOutHook hook) {
            super(engine);
            this.hook = hook;
        }

        @SuppressWarnings("unused")
        void call(MemorySegment uc, int port, int size, int value, MemorySegment user) {
            if (skip()) {
                return;
            }
            try {
                engine.asDataHook(() -> {
                    hook.out(port, size, value);
                    return null;
                });
            } catch (Throwable t) {
                engine.hookThrew(t);
            }
        }
    }

    static final class MmioUpcall extends Upcall {
        private final Hooks.MmioRead read;
        private final Hooks.MmioWrite write;

        MmioUpcall(Unicorn engine, Hooks.MmioRead read, Hooks.MmioWrite write) {
            super(engine);
            this.read = read;
            this.write = write;
        }

        @SuppressWarnings("unused")
        long mmioRead(MemorySegment uc, long offset, int size, MemorySegment user) {
            if (skip()) {
                return 0;
            }
            try {
                return engine.asDataHook(() -> read.read(offset, size));
            } catch (Throwable t) {
                engine.hookThrew(t);
                return 0;
            }
        }

        @SuppressWarnings("unused")
        void mmioWrite(MemorySegment uc, long offset, int size, long value, MemorySegment user) {
            if (skip()) {
                return;
            }
            try {
                engine.asDataHook(() -> {
                    write.write(offset, size, value);
                    return null;
                });
            } catch (Throwable t) {
                engine.hookThrew(t);
            }
        }
    }
}
