package dev.nmilab.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IntegersTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "0,                    0",
        "42,                   42",
        "-1,                   -1",
        "1_000_000,            1000000",
        "0x20,                 32",
        "0XfF,                 255",
        "0xffff_ffff,          4294967295",
        "9223372036854775807,  9223372036854775807",
        "-9223372036854775808, -9223372036854775808",
    })
    void parses(String text, long value) {
        assertEquals(value, Integers.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "1.0", "1e9", "_1", "1_", "1__0", "0x", "0xg", "+1", " 1", "9223372036854775808"})
    void rejects(String text) {
        assertThrows(NumberFormatException.class, () -> Integers.parse(text));
    }
}
