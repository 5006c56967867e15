package dev.nmilab.event;

/** A line that reached the console. */
public record ConsoleLine(long timeNs, int cpu, String text) implements CpuEvent {
    @Override
    public String type() {
        return "console";
    }
}
