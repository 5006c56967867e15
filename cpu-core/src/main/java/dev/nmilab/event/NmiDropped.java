package dev.nmilab.event;

/** An NMI arrived while one was already latched: the hardware keeps only one. */
public record NmiDropped(long timeNs, int cpu, String at, String source, long droppedSoFar) implements CpuEvent {
    @Override
    public String type() {
        return "nmi_dropped";
    }
}
