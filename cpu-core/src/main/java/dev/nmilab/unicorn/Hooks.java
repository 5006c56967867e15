package dev.nmilab.unicorn;

/** The callback shapes of the engine's hooks, one small interface per kind. */
public final class Hooks {
    private Hooks() {
    }

    /** Before the instruction at {@code address} (of {@code size} bytes) executes. */
    @FunctionalInterface
    public interface CodeHook {
        void onCode(long address, int size);
    }

    /** An interrupt or exception Unicorn raised (int n, int3, #DE, ...), by vector. */
    @FunctionalInterface
    public interface InterruptHook {
        void onInterrupt(int vector);
    }

    /** An instruction Unicorn cannot decode (ud2 among them). Return true to go on. */
    @FunctionalInterface
    public interface InvalidInstructionHook {
        boolean onInvalidInstruction();
    }

    /** An access to unmapped or protected memory. Return true when the hook fixed it (retry). */
    @FunctionalInterface
    public interface MemoryFaultHook {
        boolean onFault(MemoryAccess access, long address, int size, long value);
    }

    /** IN from a port: return the value read. */
    @FunctionalInterface
    public interface PortInHook {
        int in(int port, int size);
    }

    /** OUT to a port. */
    @FunctionalInterface
    public interface PortOutHook {
        void out(int port, int size, int value);
    }

    /** A read of memory-mapped I/O at {@code offset} into the region. */
    @FunctionalInterface
    public interface MmioRead {
        long read(long offset, int size);
    }

    /** A write of memory-mapped I/O at {@code offset} into the region. */
    @FunctionalInterface
    public interface MmioWrite {
        void write(long offset, int size, long value);
    }
}
