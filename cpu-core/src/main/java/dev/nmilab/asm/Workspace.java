package dev.nmilab.asm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private temporary directory for one assembly, deleted on close, that
 * also knows how to take its own path back out of tool diagnostics: the user
 * named the source "stub.S" and must read "stub.S:3: Error", never the
 * name of an intermediate file under /tmp.
 */
final class Workspace implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Workspace.class);

    private final Path directory;
    private final Map<String, String> aliases = new LinkedHashMap<>();

    private Workspace(Path directory) {
        this.directory = directory;
    }

    /** @param root where to create the directory; null for the JVM's temporary directory */
    static Workspace create(Path root) throws AssemblyException {
        try {
            return new Workspace(root == null
                    ? Files.createTempDirectory("nmilab-asm-")
                    : Files.createTempDirectory(root, "nmilab-asm-"));
        } catch (IOException e) {
            throw new AssemblyException("cannot create a temporary directory for assembly: " + e.getMessage(), e);
        }
    }

    Path directory() {
        return directory;
    }

    Path file(String name) {
        return directory.resolve(name);
    }

    /** From now on, diagnostics that mention {@code path} show {@code shownAs} instead. */
    void alias(Path path, String shownAs) {
        aliases.put(path.toAbsolutePath().toString(), shownAs);
    }

    /** The tool's diagnostics with every aliased path replaced, trailing blank lines removed. */
    String rewrite(String diagnostics) {
        String text = diagnostics;
        // Longest paths first, so a directory alias never cuts a file alias in half.
        for (Map.Entry<String, String> alias : aliases.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed())
                .toList()) {
            text = text.replace(alias.getKey(), alias.getValue());
        }
        return text.strip();
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(Workspace::delete);
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not remove temporary directory {}: {}", directory, e.getMessage());
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
