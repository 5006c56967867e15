package dev.nmilab.scenario;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads scenario files: reads YAML into a located tree, applies {@code --set} overrides, and
 * validates the result into a {@link Scenario}. Validation stops at the first problem; every
 * problem is a {@link ScenarioException} whose message is one line naming file, line and key.
 *
 * <p>The parser knows kernel profiles, event types and task types only through the registries
 * given to it, so plugins extend the schema without touching this package.
 */
public final class ScenarioParser {

    private static final Logger LOG = LoggerFactory.getLogger(ScenarioParser.class);

    /** Scenario files are a page or two; a cap keeps a wrong path (a vmcore, say) from filling the heap. */
    static final long MAX_FILE_BYTES = 1L << 20;

    private static final Pattern TYPE_NAME = Pattern.compile("[a-z0-9-]+");

    private final SortedSet<String> knownProfiles;
    private final SortedMap<String, ScenarioEventType> eventTypes;
    private final SortedMap<String, ScenarioTaskType> taskTypes;
    private final ScenarioValidator validator;

    /**
     * @param knownProfiles kernel profile names {@code machine.profile} may name
     * @param eventTypes event types by {@link ScenarioEventType#name()}
     * @param taskTypes task types by {@link ScenarioTaskType#name()}
     * @throws IllegalArgumentException when a registry is inconsistent (a key that is not its
     *     type's name, a type that uses a reserved key): a programming error, not bad input
     */
    public ScenarioParser(Set<String> knownProfiles, Map<String, ScenarioEventType> eventTypes, Map<String, ScenarioTaskType> taskTypes) {
        this.knownProfiles = Collections.unmodifiableSortedSet(new TreeSet<>(knownProfiles));
        this.eventTypes = Collections.unmodifiableSortedMap(new TreeMap<>(eventTypes));
        this.taskTypes = Collections.unmodifiableSortedMap(new TreeMap<>(taskTypes));
        this.eventTypes.forEach((name, type) -> checkType("event", name, type.name(), type.keys(), ScenarioEventType.RESERVED_KEYS));
        this.taskTypes.forEach((name, type) -> checkType("task", name, type.name(), type.keys(), ScenarioTaskType.RESERVED_KEYS));
        this.validator = new ScenarioValidator(this.knownProfiles, this.eventTypes, this.taskTypes);
    }

    private static void checkType(String kind, String registeredAs, String name, List<KeySpec> keys, Set<String> reserved) {
        if (!registeredAs.equals(name) || !TYPE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(kind + " type '" + name + "' is registered as '" + registeredAs
                    + "'; the two must be equal and made of lower-case letters, digits and dashes");
        }
        Set<String> seen = new TreeSet<>();
        for (KeySpec key : keys) {
            if (reserved.contains(key.name()) || !seen.add(key.name())) {
                throw new IllegalArgumentException(kind + " type '" + name + "' declares key '" + key.name()
                        + "', which is reserved or declared twice");
            }
        }
    }

    public SortedSet<String> knownProfiles() {
        return knownProfiles;
    }

    public SortedMap<String, ScenarioEventType> eventTypes() {
        return eventTypes;
    }

    public SortedMap<String, ScenarioTaskType> taskTypes() {
        return taskTypes;
    }

    /**
     * Loads a scenario file; its stubs are files relative to its directory. Errors name the file
     * as {@code file.toString()} shows it.
     *
     * @param overrides {@code --set} arguments without the {@code --set}, applied in order
     * @throws ScenarioException for any problem, including an unreadable file
     */
    public Scenario parseFile(Path file, List<String> overrides) {
        String source = file.toString();
        String yaml = readText(file, source);
        Path directory = file.getParent() != null ? file.getParent() : Path.of("");
        return parse(source, yaml, Optional.of(directory), overrides);
    }

    /**
     * Loads a scenario shipped inside nmilab; its stubs are built-in resource names.
     *
     * @param resourceName the name errors start with
     */
    public Scenario parseBuiltin(String resourceName, String yaml, List<String> overrides) {
        return parse(resourceName, yaml, Optional.empty(), overrides);
    }

    /**
     * Loads scenario text.
     *
     * @param source the name errors start with
     * @param stubDirectory where stub files are resolved; empty for built-in stub resource names
     */
    public Scenario parse(String source, String yaml, Optional<Path> stubDirectory, List<String> overrides) {
        LocatedNode root = LocatedYamlReader.read(source, yaml);
        Scenario scenario = validate(ScenarioOverrides.applyOverrides(root, overrides), stubDirectory);
        LOG.debug("loaded scenario {} from {}: {} CPUs, {} tasks, {} events, {} overrides",
                scenario.name(), source, scenario.machine().cpus(), scenario.tasks().size(), scenario.events().size(), overrides.size());
        return scenario;
    }

    /** Validates a tree (from {@link LocatedYamlReader}, overrides already applied). */
    public Scenario validate(LocatedNode root, Optional<Path> stubDirectory) {
        return validator.validate(root, stubDirectory);
    }

    private static String readText(Path file, String source) {
        SourceLocation whole = SourceLocation.wholeFile(source);
        try {
            if (Files.isDirectory(file)) {
                throw new ScenarioException(whole, "", "cannot read: it is a directory");
            }
            if (Files.isRegularFile(file) && Files.size(file) > MAX_FILE_BYTES) {
                throw new ScenarioException(whole, "", "cannot read: larger than " + Sizes.format(MAX_FILE_BYTES) + ", which no scenario file needs");
            }
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ScenarioException(whole, "", "cannot read: no such file", e);
        } catch (AccessDeniedException e) {
            throw new ScenarioException(whole, "", "cannot read: permission denied", e);
        } catch (CharacterCodingException e) {
            throw new ScenarioException(whole, "", "cannot read: not UTF-8 text", e);
        } catch (IOException e) {
            throw new ScenarioException(whole, "", "cannot read: " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
    }
}
