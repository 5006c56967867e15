package dev.nmilab.scenario.events;

/** The ICR delivery modes a scenario can send: fixed (with a vector) or NMI (no vector). */
public enum IpiMode {
    FIXED,
    NMI
}
