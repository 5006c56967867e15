package dev.nmilab.io;

import dev.nmilab.x86.Cpu;

/** A device answering IN/OUT on a range of I/O ports. */
public interface PortDevice {
    String name();

    int in(Cpu cpu, int port, int size);

    void out(Cpu cpu, int port, int size, int value);
}
