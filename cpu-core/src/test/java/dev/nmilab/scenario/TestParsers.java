package dev.nmilab.scenario;

import dev.nmilab.scenario.events.CoreEventTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The parser the tests use (core event types, one test task type) and access to the YAML fixtures. */
final class TestParsers {

    static final Set<String> PROFILES = Set.of("linux-6.1", "rhel9-5.14.0-285", "pre-3.3-nmi-entry");

    private TestParsers() {
    }

    static ScenarioParser parser() {
        return new ScenarioParser(PROFILES, CoreEventTypes.byName(), Map.of("bug-kthread", new BugKthreadTaskType()));
    }

    /** The directory of a fixture folder ("broken", "good") on the test class path. */
    static Path fixtureDirectory(String folder) {
        URL url = TestParsers.class.getResource(folder);
        if (url == null) {
            throw new IllegalStateException("no test resource folder " + folder);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String fixtureText(String folder, String name) {
        try {
            return Files.readString(fixtureDirectory(folder).resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses fixture {@code folder/name}; errors start with {@code name}, stubs resolve next to it. */
    static Scenario parseFixture(String folder, String name, List<String> overrides) {
        return parser().parse(name, fixtureText(folder, name), Optional.of(fixtureDirectory(folder)), overrides);
    }
}
