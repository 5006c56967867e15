package dev.nmilab.x86;

/** Where IN and OUT instructions go. */
public interface PortDispatcher {
    int in(Cpu cpu, int port, int size);

    void out(Cpu cpu, int port, int size, int value);

    /** Name of the device on {@code port}, for the trace. */
    String deviceAt(int port);
}
