package dev.nmilab.scenario;

/**
 * A node of a YAML document that remembers where it was written, so that every validation error
 * can name its file and line. Scalars keep their text exactly as written: typing happens in
 * validation, where the expected type is known.
 */
public sealed interface LocatedNode permits LocatedScalar, LocatedMap, LocatedList {

    SourceLocation location();

    /** How this node reads in an error, after "got": {@code 'text'}, "nothing", "a map", "a list". */
    String describe();
}
