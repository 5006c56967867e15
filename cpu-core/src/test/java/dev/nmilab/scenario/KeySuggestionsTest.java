package dev.nmilab.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeySuggestionsTest {

    private static final List<String> TOP_LEVEL = ScenarioValidator.TOP_LEVEL_KEYS;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "evnts,        events",
        "event,        events",
        "limit,        limits",
        "expcet,       expect",
        "stub,         stubs",
        "nmae,         name",
        "descripton,   description",
    })
    void suggestsTheClosestKey(String typed, String suggestion) {
        assertEquals(Optional.of(suggestion), KeySuggestions.closest(typed, TOP_LEVEL));
    }

    @Test
    void suggestsNothingBeyondTwoEdits() {
        assertEquals(Optional.empty(), KeySuggestions.closest("colour", TOP_LEVEL));
        assertEquals(Optional.empty(), KeySuggestions.closest("workload", TOP_LEVEL));
    }

    @Test
    void breaksTiesAlphabetically() {
        // "ab" is one edit from both; the alphabetically first wins whatever the input order.
        assertEquals(Optional.of("aa"), KeySuggestions.closest("ab", List.of("bb", "aa")));
        assertEquals(Optional.of("aa"), KeySuggestions.closest("ab", List.of("aa", "bb")));
    }

    @ParameterizedTest(name = "{0} / {1} = {2}")
    @CsvSource({
        "cpus,   cpus,   0",
        "cpsu,   cpus,   1",
        "cpu,    cpus,   1",
        "cpuss,  cpus,   1",
        "kitten, sitting, 3",
        "'',     abc,    3",
    })
    void editDistance(String a, String b, int distance) {
        assertEquals(distance, KeySuggestions.editDistance(a, b));
    }
}
