package dev.nmilab.nmi;

/** An NMI handler: returns how many events it handled (NMI_DONE = 0, NMI_HANDLED = 1 or more). */
@FunctionalInterface
public interface NmiHandler {
    int handle(NmiType type, NmiContext context);
}
