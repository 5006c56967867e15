package dev.nmilab.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nmilab.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.io.TempDir;

/** Same scenario, same seed: the same bytes in every output file (GUIDE: time is virtual and deterministic). */
class DeterminismTest {
    static final List<String> BUILTINS = BuiltinScenarios.NAMES;

    @TempDir
    Path temp;

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @ParameterizedTest
    @FieldSource("BUILTINS")
    void builtinScenarioWritesIdenticalOutputTwice(String name) throws IOException {
        Path first = temp.resolve("first");
        Path second = temp.resolve("second");

        CliRun one = CliRun.of("run", name, "--out", first.toString());
        CliRun two = CliRun.of("run", name, "--out", second.toString());

        assertEquals(0, one.exitCode(), one.stderr());
        assertEquals(0, two.exitCode(), two.stderr());
        assertEquals(one.stdout().replace(first.toString(), "DIR"), two.stdout().replace(second.toString(), "DIR"));
        List<String> names = files(first);
        // a kdump scenario's capture kernel also saves the vmcore and its log: they must match too
        List<String> expected = java.util.regex.Pattern.compile("\"verdict\"\\s*:\\s*\"VMCORE_SAVED\"")
                .matcher(Files.readString(first.resolve("report.json"))).find()
                ? List.of("console.log", "events.jsonl", "report.json", "trace.json", "vmcore", "vmcore-dmesg.txt")
                : List.of("console.log", "events.jsonl", "report.json", "trace.json");
        assertEquals(expected, names);
        assertEquals(names, files(second));
        for (String file : names) {
            assertArrayEquals(Files.readAllBytes(first.resolve(file)), Files.readAllBytes(second.resolve(file)), file);
        }
    }
}
