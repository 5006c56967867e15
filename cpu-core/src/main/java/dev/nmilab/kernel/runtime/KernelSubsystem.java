package dev.nmilab.kernel.runtime;

import java.util.List;
import java.util.Map;

/**
 * A part of the kernel that plugs into boot (Guice multibinding, so the core never lists
 * subsystems by name): it registers gates and devices before code is loaded, contributes stubs,
 * and starts its machinery once the CPUs exist.
 */
public interface KernelSubsystem {
    /** Before stubs are assembled: register gates (their names become link symbols), port devices. */
    default void install(KernelRuntime runtime) {
    }

    /** Stub sources (name, text) this subsystem needs loaded, in order. */
    default List<Map.Entry<String, String>> stubs() {
        return List.of();
    }

    /** After the CPUs were created and started (APIC mapping, timers, watchdogs). */
    default void started(KernelRuntime runtime) {
    }

    /** IST changes for the IDT, by vector (an entry variant that runs NMIs on the interrupted stack). */
    default Map<Integer, Integer> istOverrides() {
        return Map.of();
    }

    /** Counters for one CPU's entry in report.json, under this subsystem's {@link #name()}. */
    default Map<String, Long> counters(int cpu) {
        return Map.of();
    }

    /** The key of this subsystem's counters in the report. */
    default String name() {
        return getClass().getSimpleName();
    }
}
