package dev.nmilab.event;

/** The CPU executed hlt ({@code halted}) or woke from it. */
public record CpuHalted(long timeNs, int cpu, String at, boolean halted) implements CpuEvent {
    @Override
    public String type() {
        return halted ? "halt" : "wake";
    }
}
