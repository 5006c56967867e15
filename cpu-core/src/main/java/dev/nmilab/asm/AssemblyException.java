package dev.nmilab.asm;

import java.io.Serial;

/**
 * A stub could not be turned into an image: the preprocessor, assembler or
 * linker rejected it, a tool is missing or hung, or the linked file is not a
 * usable ELF image. The message is meant to be shown to the user as it is:
 * for tool failures it is the tool's own diagnostics, with files named as the
 * user named them.
 */
public class AssemblyException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    public AssemblyException(String message) {
        super(message);
    }

    public AssemblyException(String message, Throwable cause) {
        super(message, cause);
    }
}
