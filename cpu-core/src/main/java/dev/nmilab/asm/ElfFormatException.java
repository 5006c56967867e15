package dev.nmilab.asm;

import java.io.Serial;

/** The bytes given as a linked image are not a well-formed ELF64 x86-64 executable. */
public final class ElfFormatException extends AssemblyException {
    @Serial
    private static final long serialVersionUID = 1L;

    public ElfFormatException(String message) {
        super(message);
    }
}
