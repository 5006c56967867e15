package dev.nmilab.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class QuotingTest {

    @Test
    void escapesLineBreaksAndControlCharacters() {
        assertEquals("'a\\nb\\tc\\rd\\u0007'", Quoting.quote("a\nb\tc\rd\u0007"));
    }

    @Test
    void shortensLongText() {
        assertEquals("'" + "x".repeat(60) + "...'", Quoting.quote("x".repeat(61)));
        assertEquals("'" + "x".repeat(60) + "'", Quoting.quote("x".repeat(60)));
    }

    @Test
    void exceptionMessageStaysOneLineWhateverTheInput() {
        ScenarioException e = new ScenarioException(SourceLocation.at("odd\nname.yaml", 3, 1), "a", "two\r\nlines");
        assertEquals("odd name.yaml:3: a: two lines", e.getMessage());
    }
}
