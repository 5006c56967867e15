package dev.nmilab.scenario;

import java.util.List;
import java.util.Objects;

/** A YAML sequence with the location of its first item (or of {@code [} for a flow sequence). */
public record LocatedList(List<LocatedNode> items, SourceLocation location) implements LocatedNode {

    public LocatedList {
        items = List.copyOf(items);
        Objects.requireNonNull(location, "location");
    }

    @Override
    public String describe() {
        return "a list";
    }
}
