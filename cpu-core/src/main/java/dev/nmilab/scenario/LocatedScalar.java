package dev.nmilab.scenario;

import java.util.Objects;

/**
 * A scalar exactly as written (quotes removed, no type resolution: {@code 0x20}, {@code yes} and
 * {@code 2s} all stay text). A YAML null ({@code key:} with no value, {@code ~}, {@code null}) is
 * a scalar with {@code isNull} set and empty text.
 */
public record LocatedScalar(String text, boolean isNull, SourceLocation location) implements LocatedNode {

    public LocatedScalar {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(location, "location");
        if (isNull && !text.isEmpty()) {
            throw new IllegalArgumentException("a null scalar has no text");
        }
    }

    public static LocatedScalar of(String text, SourceLocation location) {
        return new LocatedScalar(text, false, location);
    }

    public static LocatedScalar nothing(SourceLocation location) {
        return new LocatedScalar("", true, location);
    }

    @Override
    public String describe() {
        return isNull ? "nothing" : Quoting.quote(text);
    }
}
