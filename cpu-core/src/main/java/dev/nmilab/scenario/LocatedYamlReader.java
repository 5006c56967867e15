package dev.nmilab.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads one YAML document into a {@link LocatedNode} tree with Jackson's streaming YAML parser,
 * which reports a line and column for every token (a data-binding tree would lose them).
 *
 * <p>Deliberately rejected, each with a one-line error: an empty document, a second document,
 * duplicate keys, aliases (a shared node would have two places in the file, and scenario files
 * are short enough to repeat a value), explicit tags, and nesting deeper than
 * {@value #MAX_DEPTH} levels. Anchors are ignored: without an alias nothing refers to them (and
 * Jackson reports them on maps and lists only, so rejecting them could not be done evenly).
 */
public final class LocatedYamlReader {

    static final int MAX_DEPTH = 32;

    /**
     * Explicit about empty plain scalars ({@code key:}): the builder leaves this feature off while
     * {@code new YAMLFactory()} turns it on, and "nothing" must not depend on which one built us.
     */
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .build();

    private final String file;
    private final YAMLParser parser;

    private LocatedYamlReader(String file, YAMLParser parser) {
        this.file = file;
        this.parser = parser;
    }

    /** Reads {@code text}; {@code file} is the name errors start with. */
    public static LocatedNode read(String file, String text) {
        return read(file, new StringReader(text));
    }

    /**
     * Reads one document from {@code input}.
     *
     * @throws ScenarioException for a syntax error, an empty document or any rejected construct
     */
    public static LocatedNode read(String file, Reader input) {
        try (YAMLParser parser = YAML.createParser(input)) {
            return new LocatedYamlReader(file, parser).readDocument();
        } catch (JsonProcessingException e) {
            throw syntaxError(file, e);
        } catch (IOException e) {
            throw new ScenarioException(SourceLocation.wholeFile(file), "", "cannot read: " + e.getMessage(), e);
        }
    }

    private LocatedNode readDocument() throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null || first == JsonToken.VALUE_NULL) {
            throw new ScenarioException(SourceLocation.at(file, 1, 1), "", "the file is empty (a scenario needs at least name and description)");
        }
        LocatedNode root = readValue(first, "", 0);
        if (parser.nextToken() != null) {
            throw new ScenarioException(tokenLocation(), "", "a scenario file holds one YAML document, found a second one");
        }
        return root;
    }

    private LocatedNode readValue(JsonToken token, String path, int depth) throws IOException {
        SourceLocation location = tokenLocation();
        rejectAliasesAndTags(location, path);
        if (depth > MAX_DEPTH) {
            throw new ScenarioException(location, path, "nesting deeper than " + MAX_DEPTH + " levels");
        }
        return switch (token) {
            case START_OBJECT -> readMap(location, path, depth);
            case START_ARRAY -> readList(location, path, depth);
            case VALUE_NULL -> LocatedScalar.nothing(location);
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE ->
                    LocatedScalar.of(parser.getText(), location);
            default -> throw new ScenarioException(location, path, "unexpected YAML token " + token);
        };
    }

    private LocatedMap readMap(SourceLocation location, String path, int depth) throws IOException {
        List<LocatedMap.Entry> entries = new ArrayList<>();
        Map<String, SourceLocation> seen = new LinkedHashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
            if (token != JsonToken.FIELD_NAME) {
                throw new ScenarioException(tokenLocation(), path, "unexpected YAML token " + token + " where a key belongs");
            }
            String key = parser.currentName();
            SourceLocation keyLocation = tokenLocation();
            String keyPath = KeyPaths.child(path, key);
            SourceLocation first = seen.putIfAbsent(key, keyLocation);
            if (first != null) {
                throw new ScenarioException(keyLocation, keyPath,
                        "duplicate key " + Quoting.quote(key) + " (first at line " + first.line() + ")");
            }
            LocatedNode value = readValue(parser.nextToken(), keyPath, depth + 1);
            entries.add(new LocatedMap.Entry(key, keyLocation, value));
        }
        return new LocatedMap(entries, location);
    }

    private LocatedList readList(SourceLocation location, String path, int depth) throws IOException {
        List<LocatedNode> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            items.add(readValue(token, KeyPaths.item(path, items.size()), depth + 1));
        }
        return new LocatedList(items, location);
    }

    private void rejectAliasesAndTags(SourceLocation location, String path) throws IOException {
        if (parser.isCurrentAlias()) {
            throw new ScenarioException(location, path, "YAML aliases are not supported (found *" + parser.getText() + ")");
        }
        String tag = parser.getTypeId();
        if (tag != null) {
            throw new ScenarioException(location, path, "YAML tags are not supported (found " + shortTag(tag) + ")");
        }
    }

    private static String shortTag(String tag) {
        String standardPrefix = "tag:yaml.org,2002:";
        return tag.startsWith(standardPrefix) ? "!!" + tag.substring(standardPrefix.length()) : tag;
    }

    private SourceLocation tokenLocation() {
        JsonLocation token = parser.currentTokenLocation();
        return SourceLocation.at(file, Math.max(token.getLineNr(), 1), Math.max(token.getColumnNr(), 1));
    }

    /**
     * Turns the parser's multi-line message (it quotes the offending line with a caret) into one
     * line. SnakeYAML's problem mark is where the fault is; Jackson's own location is where it
     * stopped reading, which can be a token later, so the mark wins when there is one.
     */
    private static ScenarioException syntaxError(String file, JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            Mark mark = marked.getProblemMark();
            StringBuilder problem = new StringBuilder("YAML syntax error at column ")
                    .append(mark.getColumn() + 1).append(": ").append(oneLine(marked.getProblem()));
            if (marked.getContext() != null && marked.getContextMark() != null) {
                Mark context = marked.getContextMark();
                problem.append(" (").append(oneLine(marked.getContext()))
                        .append(" at line ").append(context.getLine() + 1)
                        .append(", column ").append(context.getColumn() + 1).append(')');
            }
            return new ScenarioException(SourceLocation.at(file, mark.getLine() + 1, mark.getColumn() + 1), "", problem.toString(), e);
        }
        JsonLocation where = e.getLocation();
        int line = where == null ? 0 : Math.max(where.getLineNr(), 0);
        int column = where == null ? 0 : Math.max(where.getColumnNr(), 0);
        String problem = e.getOriginalMessage();
        if (problem != null && problem.startsWith("Expected a field name")) {
            // Jackson's wording names a SnakeYAML event class; say what it means instead.
            problem = "map keys must be plain scalars";
        }
        return new ScenarioException(new SourceLocation(file, line, column, Optional.empty()), "",
                "YAML syntax error" + (column > 0 ? " at column " + column : "") + ": " + oneLine(problem), e);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
