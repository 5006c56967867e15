package dev.nmilab.event;

/** Names a guest address as {@code symbol+0xoff} (or hex when nothing is known about it). */
@FunctionalInterface
public interface Symbolizer {
    String describe(long address);

    Symbolizer HEX = address -> String.format("0x%x", address);
}
