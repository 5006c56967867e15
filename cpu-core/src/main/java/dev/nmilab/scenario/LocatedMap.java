package dev.nmilab.scenario;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.SequencedSet;

/**
 * A YAML mapping in file order, with the location of the mapping and of every key. Keys are unique
 * (the reader reports duplicates before a map is built). Immutable: {@link #with} returns a copy.
 */
public final class LocatedMap implements LocatedNode {

    /** One {@code key: value} pair; the key's own location points at the key, not the value. */
    public record Entry(String key, SourceLocation keyLocation, LocatedNode value) {
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(keyLocation, "keyLocation");
            Objects.requireNonNull(value, "value");
        }
    }

    private final SequencedMap<String, Entry> entries;
    private final SourceLocation location;

    public LocatedMap(List<Entry> entries, SourceLocation location) {
        this.location = Objects.requireNonNull(location, "location");
        LinkedHashMap<String, Entry> byKey = new LinkedHashMap<>();
        for (Entry entry : entries) {
            if (byKey.putIfAbsent(entry.key(), entry) != null) {
                throw new IllegalArgumentException("duplicate key '" + entry.key() + "'");
            }
        }
        this.entries = Collections.unmodifiableSequencedMap(byKey);
    }

    @Override
    public SourceLocation location() {
        return location;
    }

    @Override
    public String describe() {
        return "a map";
    }

    /** The entries in file order. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** The keys in file order. */
    public SequencedSet<String> keys() {
        return entries.sequencedKeySet();
    }

    public Optional<Entry> entry(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    public Optional<LocatedNode> get(String key) {
        return entry(key).map(Entry::value);
    }

    public boolean containsKey(String key) {
        return entries.containsKey(key);
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * A copy with {@code key} set to {@code value}: an existing key keeps its place and its key
     * location, a new key goes last.
     */
    public LocatedMap with(String key, SourceLocation keyLocation, LocatedNode value) {
        List<Entry> copy = new ArrayList<>(entries.size() + 1);
        boolean replaced = false;
        for (Entry entry : entries.values()) {
            if (entry.key().equals(key)) {
                copy.add(new Entry(key, entry.keyLocation(), value));
                replaced = true;
            } else {
                copy.add(entry);
            }
        }
        if (!replaced) {
            copy.add(new Entry(key, keyLocation, value));
        }
        return new LocatedMap(copy, location);
    }

    /** A copy holding only the given keys, in file order, at the same location. */
    public LocatedMap only(Collection<String> keys) {
        List<Entry> kept = new ArrayList<>();
        for (Entry entry : entries.values()) {
            if (keys.contains(entry.key())) {
                kept.add(entry);
            }
        }
        return new LocatedMap(kept, location);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LocatedMap that
                && location.equals(that.location)
                && List.copyOf(entries.values()).equals(List.copyOf(that.entries.values()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(location, List.copyOf(entries.values()));
    }

    @Override
    public String toString() {
        return "LocatedMap" + List.copyOf(entries.values()) + "@" + location;
    }
}
