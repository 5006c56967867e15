package dev.nmilab.x86;

/**
 * The processor's NMI blocking (SDM vol. 3, 6.7.1): after an NMI is delivered, further NMIs
 * are blocked until the next IRET of any kind. While blocked the processor holds one NMI;
 * any further one is lost. The counters feed the report's NMI row.
 */
final class NmiState {
    boolean blocked;
    boolean latched;
    /** Arrived while unblocked, waiting for the next instruction boundary. */
    boolean pending;
    String pendingSource = "";
    String latchedSource = "";
    long delivered;
    long latchedCount;
    long dropped;
}
