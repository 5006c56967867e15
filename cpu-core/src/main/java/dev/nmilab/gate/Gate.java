package dev.nmilab.gate;

/** A Java function that guest code reaches with {@code call name}: arguments in RDI, RSI, ..., result in RAX. */
@FunctionalInterface
public interface Gate {
    long call(GateCall call);
}
