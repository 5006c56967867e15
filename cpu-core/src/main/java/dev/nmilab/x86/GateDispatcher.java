package dev.nmilab.x86;

/** Java functions placed at guest addresses; a CPU reaching one of them calls into Java. */
public interface GateDispatcher {
    /** First and last guest address that may hold a gate (one code hook covers them). */
    long firstAddress();

    long lastAddress();

    /** Run the gate at {@code address}; false when no gate is there. */
    boolean dispatch(Cpu cpu, long address);

    GateDispatcher NONE = new GateDispatcher() {
        @Override
        public long firstAddress() {
            return 0;
        }

        @Override
        public long lastAddress() {
            return 0;
        }

        @Override
        public boolean dispatch(Cpu cpu, long address) {
            return false;
        }
    };
}
