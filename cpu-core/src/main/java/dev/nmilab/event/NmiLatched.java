package dev.nmilab.event;

/** An NMI arrived while NMIs were blocked and is held until the next IRET. */
public record NmiLatched(long timeNs, int cpu, String at, String source) implements CpuEvent {
    @Override
    public String type() {
        return "nmi_latched";
    }
}
