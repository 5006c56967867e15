package dev.nmilab.event;

/** An IN or OUT instruction reached the port bus. */
public record PortAccess(long timeNs, int cpu, String at, boolean write, int port, int size, int value, String device)
        implements CpuEvent {
    @Override
    public String type() {
        return write ? "port_out" : "port_in";
    }
}
