package dev.nmilab.scenario;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;

/** The checks tasks and events share: a type name that is registered, known keys, required keys. */
final class ItemChecks {

    private ItemChecks() {
    }

    /** The item's {@code type} value, which must be one of {@code known}. */
    static String typeName(LocatedMap item, String path, String kind, SequencedSet<String> known) {
        LocatedNode node = NodeReader.required(item, path, "type");
        String typePath = KeyPaths.child(path, "type");
        String name = NodeReader.text(node, typePath, (kind.startsWith("e") ? "an " : "a ") + kind + " type name");
        if (!known.contains(name)) {
            String knownList = known.isEmpty() ? "no " + kind + " types are registered" : "known types: " + NodeReader.sortedList(known);
            throw new ScenarioException(node.location(), typePath, "unknown " + kind + " type " + Quoting.quote(name) + "; " + knownList);
        }
        return name;
    }

    /** Rejects keys that are neither common nor the type's own; reports the type's missing required keys. */
    static void checkKeys(LocatedMap item, String path, List<String> commonKeys, String typeName, String kind, List<KeySpec> typeKeys) {
        SequencedSet<String> allowed = new LinkedHashSet<>(commonKeys);
        for (KeySpec key : typeKeys) {
            allowed.add(key.name());
        }
        NodeReader.rejectUnknownKeys(item, path, allowed);
        for (KeySpec key : typeKeys) {
            if (key.required() && !item.containsKey(key.name())) {
                throw new ScenarioException(item.location(), path, "missing required key " + Quoting.quote(key.name())
                        + " for " + kind + " type " + Quoting.quote(typeName));
            }
        }
    }

    static List<String> names(List<KeySpec> keys) {
        return keys.stream().map(KeySpec::name).toList();
    }
}
