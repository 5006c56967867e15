package dev.nmilab.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1}ns")
    @CsvSource({
        "0s,            0",
        "250ns,         250",
        "1500us,        1500000",
        "2ms,           2000000",
        "1.25ms,        1250000",
        "0.000001ms,    1",
        "2s,            2000000000",
        "0.5s,          500000000",
        "1.000000001s,  1000000001",
        "2.50s,         2500000000",
        "007s,          7000000000",
        "9223372036s,   9223372036000000000",
        "9223372036854775807ns, 9223372036854775807",
    })
    void parsesExactly(String text, long nanos) {
        assertEquals(nanos, Durations.parseNanos(text));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "soon                  | expected a duration like 2s, 1500us or 250ns",
        "2                     | expected a duration like 2s, 1500us or 250ns",
        "s                     | expected a duration like 2s, 1500us or 250ns",
        "'2 s'                 | expected a duration like 2s, 1500us or 250ns",
        "-1s                   | expected a duration like 2s, 1500us or 250ns",
        "1e3s                  | expected a duration like 2s, 1500us or 250ns",
        ".5s                   | expected a duration like 2s, 1500us or 250ns",
        "5.s                   | expected a duration like 2s, 1500us or 250ns",
        "2S                    | expected a duration like 2s, 1500us or 250ns",
        "2min                  | expected a duration like 2s, 1500us or 250ns",
        "1.5us                 | expected a duration like 2s, 1500us or 250ns (decimals only with s or ms)",
        "1.0ns                 | expected a duration like 2s, 1500us or 250ns (decimals only with s or ms)",
        "0.0000000001s         | expected a duration in whole nanoseconds",
        "0.0000001ms           | expected a duration in whole nanoseconds",
        "9223372037s           | expected a duration of at most 9223372036854775807ns",
        "9223372036854775808ns | expected a duration of at most 9223372036854775807ns",
    })
    void rejectsWithAReason(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos(text));
        assertEquals(reason, e.getMessage());
    }

    @ParameterizedTest(name = "{0}ns = {1}")
    @CsvSource({
        "0,             0s",
        "1,             1ns",
        "1500,          1500ns",
        "1500000,       1500us",
        "2000000,       2ms",
        "2000000000,    2s",
        "2500000000,    2500ms",
    })
    void formatsInTheLargestExactUnit(long nanos, String text) {
        assertEquals(text, Durations.format(nanos));
        assertEquals(nanos, Durations.parseNanos(text));
    }

    @Test
    void refusesToFormatNegativeTime() {
        assertThrows(IllegalArgumentException.class, () -> Durations.format(-1));
    }
}
