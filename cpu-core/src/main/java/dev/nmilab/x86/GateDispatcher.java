package dev.nmilab.x86;

/** Java functions placed at guest addresses; a CPU reaching one of them calls into Java. */
public interface GateDispatcher {
    /** Every gate's address (each gets a site hook on every CPU). */
    java.util.Collection<Long> addresses();

    /** Run the gate at {@code address}; false when no gate is there. */
    boolean dispatch(Cpu cpu, long address);

    GateDispatcher NONE = new GateDispatcher() {
        @Override
        public java.util.Collection<Long> addresses() {
            return java.util.List.of();
        }

        @Override
        public boolean dispatch(Cpu cpu, long address) {
            return false;
        }
    };
}
