package dev.nmilab.scenario;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a node of a scenario came from: a 1-based line and column of the scenario file, or a
 * {@code --set} override given on the command line (then line and column are 0).
 *
 * <p>A line of 0 without an override means "the file as a whole" (for example when it cannot be
 * read).
 */
public record SourceLocation(String file, int line, int column, Optional<String> override) {

    public SourceLocation {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(override, "override");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must not be negative");
        }
    }

    /** A position inside the scenario file, both numbers 1-based. */
    public static SourceLocation at(String file, int line, int column) {
        return new SourceLocation(file, line, column, Optional.empty());
    }

    /** The scenario file as a whole, for problems that have no position (it cannot be read). */
    public static SourceLocation wholeFile(String file) {
        return new SourceLocation(file, 0, 0, Optional.empty());
    }

    /** A value that came from {@code --set setArgument} rather than from the file. */
    public static SourceLocation ofOverride(String file, String setArgument) {
        return new SourceLocation(file, 0, 0, Optional.of(setArgument));
    }

    public boolean isOverride() {
        return override.isPresent();
    }

    /**
     * The text that starts an error line: {@code --set key=value} for an override,
     * {@code FILE:LINE} for a position, {@code FILE} for the whole file.
     */
    public String prefix() {
        if (override.isPresent()) {
            return "--set " + override.get();
        }
        return line == 0 ? file : file + ":" + line;
    }
}
