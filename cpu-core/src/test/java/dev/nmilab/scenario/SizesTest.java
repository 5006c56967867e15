package dev.nmilab.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SizesTest {

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
        "4096,  4096",
        "4K,    4096",
        "4k,    4096",
        "16M,   16777216",
        "256M,  268435456",
        "256m,  268435456",
        "4G,    4294967296",
        "1T,    1099511627776",
        "0,     0",
    })
    void parsesBinarySuffixes(String text, long bytes) {
        assertEquals(bytes, Sizes.parseBytes(text));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "256MB          | expected a size like 256M, 4G or 1T",
        "1.5G           | expected a size like 256M, 4G or 1T",
        "M              | expected a size like 256M, 4G or 1T",
        "-1M            | expected a size like 256M, 4G or 1T",
        "'256 M'        | expected a size like 256M, 4G or 1T",
        "0x100M         | expected a size like 256M, 4G or 1T",
        "1P             | expected a size like 256M, 4G or 1T",
        "8388608T       | expected a size below 8192P",
    })
    void rejectsWithAReason(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parseBytes(text));
        assertEquals(reason, e.getMessage());
    }

    @ParameterizedTest(name = "{0} bytes = {1}")
    @CsvSource({
        "0,              0",
        "1000,           1000",
        "4096,           4K",
        "268435456,      256M",
        "1610612736,     1536M",
        "1099511627776,  1T",
    })
    void formatsInTheLargestExactUnit(long bytes, String text) {
        assertEquals(text, Sizes.format(bytes));
    }
}
