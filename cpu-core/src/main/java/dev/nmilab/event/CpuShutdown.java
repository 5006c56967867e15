package dev.nmilab.event;

import java.util.List;

/** The CPU entered shutdown (triple fault, or #MC while MCIP): {@code chain} says how. */
public record CpuShutdown(long timeNs, int cpu, String at, String reason, List<String> chain) implements CpuEvent {
    @Override
    public String type() {
        return "shutdown";
    }
}
