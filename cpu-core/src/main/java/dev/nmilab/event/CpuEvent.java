package dev.nmilab.event;

/**
 * Something that happened on one CPU at one virtual time. Records serialise to one JSON
 * line each, fields in declaration order.
 */
public sealed interface CpuEvent permits ExceptionDelivered, NmiLatched, NmiDropped, IretExecuted, GateCalled,
        PortAccess, CpuHalted, CpuShutdown, ConsoleLine, Note {
    long timeNs();

    int cpu();

    /** The event's kind as written in events.jsonl. */
    String type();
}
