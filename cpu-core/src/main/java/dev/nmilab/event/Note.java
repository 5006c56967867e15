package dev.nmilab.event;

/** A finding stated in words (for example: which NMI frame was overwritten, old and new contents). */
public record Note(long timeNs, int cpu, String kind, String text) implements CpuEvent {
    @Override
    public String type() {
        return "note";
    }
}
