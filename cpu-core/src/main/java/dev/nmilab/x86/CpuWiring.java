package dev.nmilab.x86;

import dev.nmilab.event.EventBus;
import dev.nmilab.event.Symbolizer;
import dev.nmilab.memory.AddressSpace;

/** What a CPU is connected to: its view of memory, the event bus, symbols, gates and ports. */
public record CpuWiring(AddressSpace view, EventBus events, Symbolizer symbols, GateDispatcher gates,
        PortDispatcher ports) {
}
