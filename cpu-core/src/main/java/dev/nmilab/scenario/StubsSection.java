package dev.nmilab.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validates {@code stubs:}. For a scenario file, names resolve against its directory and must
 * exist now, so a typo is reported with its line rather than when the run assembles the stub.
 */
final class StubsSection {

    private StubsSection() {
    }

    static List<StubSource> read(Optional<LocatedNode> section, Optional<Path> baseDirectory) {
        if (section.isEmpty()) {
            return List.of();
        }
        LocatedList list = NodeReader.list(section.get(), "stubs");
        List<StubSource> stubs = new ArrayList<>();
        Map<String, Integer> firstIndex = new LinkedHashMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            LocatedNode item = list.items().get(i);
            String path = KeyPaths.item("stubs", i);
            String name = NodeReader.text(item, path, "an assembler source name ending in .S");
            if (!(name.endsWith(".S") || name.endsWith(".s")) || name.length() < 3) {
                throw NodeReader.expected(item, path, "an assembler source name ending in .S");
            }
            Integer earlier = firstIndex.putIfAbsent(name, i);
            if (earlier != null) {
                throw new ScenarioException(item.location(), path,
                        Quoting.quote(name) + " is already listed as stubs[" + earlier + "]");
            }
            stubs.add(baseDirectory.isPresent() ? file(item, path, baseDirectory.get().resolve(name)) : resource(item, path, name));
        }
        return stubs;
    }

    private static StubSource file(LocatedNode item, String path, Path resolved) {
        if (!Files.isRegularFile(resolved)) {
            throw new ScenarioException(item.location(), path, "no such file: " + resolved);
        }
        return new StubSource.StubFile(resolved);
    }

    private static StubSource resource(LocatedNode item, String path, String name) {
        if (name.startsWith("/") || List.of(name.split("/")).contains("..")) {
            throw NodeReader.expected(item, path, "a built-in stub name without / at the start or ..");
        }
        return new StubSource.StubResource(name);
    }
}
