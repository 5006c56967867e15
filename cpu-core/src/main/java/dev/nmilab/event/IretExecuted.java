package dev.nmilab.event;

/** An IRETQ popped {@code frame} and returned to {@code to}; {@code unblockedNmi} when it ended NMI blocking. */
public record IretExecuted(long timeNs, int cpu, String at, long frame, String to, boolean unblockedNmi, int depth)
        implements CpuEvent {
    @Override
    public String type() {
        return "iret";
    }
}
