package dev.nmilab.scenario;

import java.io.Serial;
import java.util.Objects;
import java.util.Optional;

/**
 * The one error type of scenario loading. Its message is exactly one line:
 * {@code FILE:LINE: KEY.PATH: problem}, or {@code --set KEY=VALUE: problem} when the bad value came
 * from an override (the override already names the key, so the key path is left out).
 *
 * <p>Unchecked so that event and task types contributed by plugins can throw it from deep inside
 * their validation without every signature declaring it; {@link ScenarioParser} documents it.
 */
public final class ScenarioException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final SourceLocation location;
    private final String keyPath;
    private final String problem;

    public ScenarioException(SourceLocation location, String keyPath, String problem) {
        this(location, keyPath, problem, null);
    }

    public ScenarioException(SourceLocation location, String keyPath, String problem, Throwable cause) {
        super(cause);
        this.location = Objects.requireNonNull(location, "location");
        this.keyPath = Objects.requireNonNull(keyPath, "keyPath");
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public SourceLocation location() {
        return location;
    }

    /** The scenario file's name as it was given to the parser. */
    public String file() {
        return location.file();
    }

    /** 1-based line, or 0 when the problem has no line (an override, an unreadable file). */
    public int line() {
        return location.line();
    }

    /** 1-based column, or 0 when the problem has no position. */
    public int column() {
        return location.column();
    }

    /** The {@code --set} argument the bad value came from, if it came from one. */
    public Optional<String> override() {
        return location.override();
    }

    /** Dotted path of the offending key, like {@code events[2].at}; empty for the whole document. */
    public String keyPath() {
        return keyPath;
    }

    /** The problem alone, without file, line or key path. */
    public String problem() {
        return problem;
    }

    @Override
    public String getMessage() {
        StringBuilder line = new StringBuilder(location.prefix()).append(": ");
        if (!location.isOverride() && !keyPath.isEmpty()) {
            line.append(keyPath).append(": ");
        }
        line.append(problem);
        // One line whatever the inputs hold: a file name or a key could carry a line break.
        return line.toString().replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }
}
