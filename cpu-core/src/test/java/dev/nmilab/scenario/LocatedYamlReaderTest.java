package dev.nmilab.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocatedYamlReaderTest {

    private static LocatedMap readMap(String yaml) {
        return assertInstanceOf(LocatedMap.class, LocatedYamlReader.read("t.yaml", yaml));
    }

    private static String failure(String yaml) {
        return assertThrows(ScenarioException.class, () -> LocatedYamlReader.read("t.yaml", yaml)).getMessage();
    }

    @Test
    void everyNodeKnowsItsLineAndColumn() {
        LocatedMap root = readMap("""
                name: x
                machine:
                  cpus: 2
                events:
                  - at: 2s
                    cpu: 0
                """);
        assertEquals(SourceLocation.at("t.yaml", 1, 1), root.location());
        assertEquals(SourceLocation.at("t.yaml", 1, 7), root.get("name").orElseThrow().location());
        LocatedMap machine = (LocatedMap) root.get("machine").orElseThrow();
        assertEquals(SourceLocation.at("t.yaml", 2, 1), root.entry("machine").orElseThrow().keyLocation());
        assertEquals(SourceLocation.at("t.yaml", 3, 3), machine.location());
        assertEquals(SourceLocation.at("t.yaml", 3, 9), machine.get("cpus").orElseThrow().location());
        LocatedList events = (LocatedList) root.get("events").orElseThrow();
        LocatedMap first = (LocatedMap) events.items().getFirst();
        assertEquals(SourceLocation.at("t.yaml", 5, 5), first.location());
        assertEquals(SourceLocation.at("t.yaml", 6, 10), first.get("cpu").orElseThrow().location());
    }

    @Test
    void scalarsStayAsWritten() {
        LocatedMap root = readMap("""
                hex: 0x1F
                word: yes
                underscored: 1_000
                float: 1e9
                quoted: "0x20"
                single: 'it''s'
                tilde-in-quotes: "~"
                empty-string: ''
                """);
        assertEquals(List.of("0x1F", "yes", "1_000", "1e9", "0x20", "it's", "~", ""),
                root.entries().stream().map(e -> ((LocatedScalar) e.value()).text()).toList());
        assertTrue(root.entries().stream().noneMatch(e -> ((LocatedScalar) e.value()).isNull()));
    }

    @Test
    void nullsAreMarked() {
        LocatedMap root = readMap("""
                nothing:
                tilde: ~
                word: null
                """);
        for (LocatedMap.Entry entry : root.entries()) {
            LocatedScalar scalar = (LocatedScalar) entry.value();
            assertTrue(scalar.isNull(), entry.key());
            assertEquals("nothing", scalar.describe());
        }
    }

    @Test
    void keysKeepFileOrder() {
        LocatedMap root = readMap("zebra: 1\napple: 2\nmango: 3\n");
        assertEquals(List.of("zebra", "apple", "mango"), List.copyOf(root.keys()));
    }

    @Test
    void flowCollectionsAreLocatedAtTheirBracket() {
        LocatedMap root = readMap("sysctls: { kernel.panic: 1 }\nstubs: [a.S, b.S]\n");
        assertEquals(SourceLocation.at("t.yaml", 1, 10), root.get("sysctls").orElseThrow().location());
        LocatedList stubs = (LocatedList) root.get("stubs").orElseThrow();
        assertEquals(SourceLocation.at("t.yaml", 2, 8), stubs.location());
        assertEquals(SourceLocation.at("t.yaml", 2, 14), stubs.items().get(1).location());
    }

    @Test
    void duplicateKeyInsideAListItemNamesItsPath() {
        assertEquals("t.yaml:3: events[0].at: duplicate key 'at' (first at line 2)", failure("""
                events:
                  - at: 1s
                    at: 2s
                """));
    }

    @Test
    void ignoresAnchorsThatNothingRefersTo() {
        LocatedMap root = readMap("a: &x 1\nb: &y [2]\nc: &z {d: 3}\n");
        assertEquals("1", ((LocatedScalar) root.get("a").orElseThrow()).text());
        assertEquals(List.of(LocatedScalar.of("2", SourceLocation.at("t.yaml", 2, 8))), ((LocatedList) root.get("b").orElseThrow()).items());
        assertEquals(List.of("d"), List.copyOf(((LocatedMap) root.get("c").orElseThrow()).keys()));
    }

    @Test
    void rejectsAliasesAndTags() {
        assertEquals("t.yaml:2: b: YAML aliases are not supported (found *x)", failure("a: 1\nb: *x\n"));
        assertEquals("t.yaml:1: a: YAML tags are not supported (found !!binary)", failure("a: !!binary aGVsbG8=\n"));
        assertEquals("t.yaml:1: a: YAML tags are not supported (found !!str)", failure("a: !!str 5\n"));
    }

    @Test
    void rejectsDeepNesting() {
        String deep = "a: " + "[".repeat(40) + "]".repeat(40) + "\n";
        assertEquals("t.yaml:1: a" + "[0]".repeat(32) + ": nesting deeper than 32 levels", failure(deep));
    }

    @Test
    void unclosedFlowSequenceIsOneLine() {
        assertEquals("t.yaml:2: YAML syntax error at column 1: expected ',' or ']', but got <stream end>"
                + " (while parsing a flow sequence at line 1, column 4)", failure("a: [1, 2\n"));
    }

    @Test
    void complexKeysAreRefused() {
        assertEquals("t.yaml:1: YAML syntax error at column 4: map keys must be plain scalars", failure("? [a, b]\n: c\n"));
    }

    @Test
    void aDocumentMarkerAloneIsEmpty() {
        assertEquals("t.yaml:1: the file is empty (a scenario needs at least name and description)", failure("---\n"));
    }
}
