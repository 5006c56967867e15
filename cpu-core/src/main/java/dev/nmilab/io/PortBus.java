package dev.nmilab.io;

import dev.nmilab.x86.Cpu;
import dev.nmilab.x86.PortDispatcher;
import java.util.Map;
import java.util.TreeMap;

/** The I/O port space: IN/OUT dispatched by port to the device claiming it; unclaimed ports float high. */
public final class PortBus implements PortDispatcher {
    private record Claim(int first, int last, PortDevice device) {
    }

    private final TreeMap<Integer, Claim> claims = new TreeMap<>();

    public void register(int first, int last, PortDevice device) {
        if (first < 0 || last > 0xffff || first > last) {
            throw new IllegalArgumentException(String.format("bad port range 0x%x-0x%x", first, last));
        }
        Map.Entry<Integer, Claim> below = claims.floorEntry(last);
        if (below != null && below.getValue().last() >= first) {
            throw new IllegalArgumentException(String.format("ports 0x%x-0x%x of %s overlap %s", first, last,
                    device.name(), below.getValue().device().name()));
        }
        claims.put(first, new Claim(first, last, device));
    }

    private PortDevice claimant(int port) {
        Map.Entry<Integer, Claim> entry = claims.floorEntry(port);
        return entry != null && entry.getValue().last() >= port ? entry.getValue().device() : null;
    }

    @Override
    public int in(Cpu cpu, int port, int size) {
        PortDevice device = claimant(port);
        if (device == null) {
            return size >= 4 ? -1 : (1 << (8 * size)) - 1;
        }
        return device.in(cpu, port, size);
    }

    @Override
    public void out(Cpu cpu, int port, int size, int value) {
        PortDevice device = claimant(port);
        if (device != null) {
            device.out(cpu, port, size, value);
        }
    }

    @Override
    public String deviceAt(int port) {
        PortDevice device = claimant(port);
        return device == null ? "unclaimed" : device.name();
    }
}
