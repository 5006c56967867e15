package dev.nmilab.kdump.vmcore;

import java.io.IOException;
import java.io.Serial;
import java.nio.file.Path;

/** A file that is not a well-formed x86-64 vmcore; the message is one line naming the file and the problem. */
public final class VmcoreFormatException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public VmcoreFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
