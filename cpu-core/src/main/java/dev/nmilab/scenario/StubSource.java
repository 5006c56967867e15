package dev.nmilab.scenario;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an entry-stub source ({@code .S}) comes from: a file next to the scenario file, or, for a
 * scenario built into nmilab, a resource name the runtime looks up among its built-in stubs.
 */
public sealed interface StubSource {

    /** A file, already resolved against the scenario file's directory and known to exist. */
    record StubFile(Path path) implements StubSource {
        public StubFile {
            Objects.requireNonNull(path, "path");
        }
    }

    /** A built-in stub, by its name exactly as the scenario wrote it. */
    record StubResource(String name) implements StubSource {
        public StubResource {
            Objects.requireNonNull(name, "name");
        }
    }
}
