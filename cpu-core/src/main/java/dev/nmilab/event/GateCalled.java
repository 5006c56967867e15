package dev.nmilab.event;

/** Guest code called into a Java function (a gate). */
public record GateCalled(long timeNs, int cpu, String gate, String caller, long rdi, long rsi) implements CpuEvent {
    @Override
    public String type() {
        return "gate";
    }
}
