package dev.nmilab.event;

/**
 * An exception, NMI or interrupt went through the IDT: {@code from} is the RIP pushed in the frame,
 * {@code frame} the address of the pushed RIP, {@code depth} the nesting level after delivery.
 */
public record ExceptionDelivered(long timeNs, int cpu, int vector, String name, String from, String handler, int ist,
        long frame, Long errorCode, int depth) implements CpuEvent {
    @Override
    public String type() {
        return "exception";
    }
}
