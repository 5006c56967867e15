package dev.nmilab.gate;

import dev.nmilab.event.GateCalled;
import dev.nmilab.event.EventBus;
import dev.nmilab.memory.GuestMemory;
import dev.nmilab.memory.KernelLayout;
import dev.nmilab.unicorn.X86Reg;
import dev.nmilab.x86.Cpu;
import dev.nmilab.x86.GateDispatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gates live in one page of kernel text filled with ud2, sixteen bytes apart. A code hook on
 * that page runs the Java function, then emulates ret. Linking a stub passes each gate's
 * address as a symbol, so {@code call do_nmi} assembles to a call into Java.
 */
public final class GateTable implements GateDispatcher {
    public static final long PHYSICAL = 0xf0_0000L;
    public static final long BASE = KernelLayout.START_KERNEL_MAP + PHYSICAL;
    public static final int SLOT = 16;
    public static final int CAPACITY = 4096 / SLOT;

    private record Entry(String name, Gate gate) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Long> addresses = new LinkedHashMap<>();
    private final EventBus events;

    public GateTable(EventBus events) {
        this.events = events;
    }

    /** Place {@code gate} under {@code name}; returns its guest address. */
    public long register(String name, Gate gate) {
        if (addresses.containsKey(name)) {
            throw new IllegalArgumentException("gate " + name + " is already registered");
        }
        if (entries.size() == CAPACITY) {
            throw new IllegalStateException("gate page full (" + CAPACITY + " gates)");
        }
        long address = BASE + (long) SLOT * entries.size();
        entries.add(new Entry(name, gate));
        addresses.put(name, address);
        return address;
    }

    /** Gate names and addresses in registration order, for the linker and the symbolizer. */
    public Map<String, Long> symbols() {
        return java.util.Collections.unmodifiableMap(addresses);
    }

    /** Fill the gate page with ud2 so that a slot without a gate faults visibly. */
    public static void writePage(GuestMemory physical) {
        byte[] page = new byte[4096];
        for (int i = 0; i < page.length; i += 2) {
            page[i] = 0x0f;
            page[i + 1] = 0x0b;
        }
        physical.write(PHYSICAL, page);
    }

    @Override
    public java.util.Collection<Long> addresses() {
        return List.copyOf(addresses.values());
    }

    @Override
    public boolean dispatch(Cpu cpu, long address) {
        long slot = address - BASE;
        if (slot < 0 || slot % SLOT != 0 || slot / SLOT >= entries.size()) {
            return false;
        }
        Entry entry = entries.get((int) (slot / SLOT));
        long caller = cpu.view().readLong(cpu.reg(X86Reg.RSP));
        events.publish(new GateCalled(cpu.now(), cpu.index(), entry.name,
                cpu.wiringSymbols().describe(caller), cpu.reg(X86Reg.RDI), cpu.reg(X86Reg.RSI)));
        GateCall call = new GateCall(cpu, entry.name);
        long result = entry.gate.call(call);
        // a gate that moved the CPU elsewhere (panic's continuation, a halt) does not return either
        if (call.returns() && cpu.rip() == address && cpu.state() == Cpu.State.RUNNING) {
            cpu.returnFromGate(result);
        }
        return true;
    }
}
