package dev.nmilab.asm;

import java.util.Objects;

/**
 * A named address in an assembled image.
 *
 * @param name    the label as written in the source
 * @param address guest virtual address
 * @param size    the ELF st_size (set by {@code .size}; 0 when the source gave none)
 * @param binding whether the label was exported with {@code .globl}
 */
public record Symbol(String name, long address, long size, Binding binding) {

    public enum Binding {
        LOCAL,
        GLOBAL,
        WEAK
    }

    public Symbol {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(binding, "binding");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("symbol name must not be empty");
        }
    }

    public boolean isGlobal() {
        return binding != Binding.LOCAL;
    }

    @Override
    public String toString() {
        return name + "@0x" + Long.toHexString(address);
    }
}
