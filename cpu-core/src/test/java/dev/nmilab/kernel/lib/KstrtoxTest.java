package dev.nmilab.kernel.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nmilab.kernel.Errno;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KstrtoxTest {

    @ParameterizedTest(name = "kstrtoint(\"{0}\", 0) = {1}")
    @CsvSource(delimiter = '|', value = {
        "0|0", "10|10", "-10|-10", "+7|7", "0x1f|31", "0X1F|31", "010|8",
        "2147483647|2147483647", "-2147483648|-2147483648"})
    void kstrtointAcceptsWhatTheKernelAccepts(String text, int expected) {
        assertEquals(expected, Kstrtox.kstrtoint(text, 0));
    }

    @ParameterizedTest(name = "kstrtoint(\"{0}\") fails with {1}")
    @CsvSource(delimiter = '|', value = {
        "''|EINVAL", "abc|EINVAL", "12a|EINVAL", "0x|EINVAL", "08|EINVAL", "' 1'|EINVAL", "--1|EINVAL",
        "-+1|EINVAL", "2147483648|ERANGE", "-2147483649|ERANGE", "99999999999999999999|ERANGE"})
    void kstrtointRejects(String text, Errno errno) {
        ConversionException e = assertThrows(ConversionException.class, () -> Kstrtox.kstrtoint(text, 0));
        assertEquals(errno, e.errno());
        assertEquals("kstrtoint(\"" + text + "\") returns -" + errno.name(), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void oneTrailingNewlineIsAllowedButNotTwo() {
        assertEquals(12, Kstrtox.kstrtoint("12\n", 0));
        assertThrows(ConversionException.class, () -> Kstrtox.kstrtoint("12\n\n", 0));
    }

    @ParameterizedTest(name = "kstrtobool(\"{0}\") = {1}")
    @CsvSource(delimiter = '|', value = {
        "1|true", "y|true", "Yes|true", "t|true", "True|true", "on|true", "ON|true",
        "0|false", "n|false", "No|false", "f|false", "false|false", "off|false", "oFf|false"})
    void kstrtoboolLooksAtTheFirstCharacters(String text, boolean expected) {
        assertEquals(expected, Kstrtox.kstrtobool(text));
    }

    @ParameterizedTest(name = "kstrtobool(\"{0}\") is -EINVAL")
    @CsvSource(delimiter = '|', value = {"''", "o", "ox", "maybe", "2", "enable", "disable"})
    void kstrtoboolRejects(String text) {
        assertEquals(Errno.EINVAL, assertThrows(ConversionException.class, () -> Kstrtox.kstrtobool(text)).errno());
    }

    @ParameterizedTest(name = "memparse(\"{0}\") = {1}")
    @CsvSource(delimiter = '|', value = {
        "0|0", "4096|4096", "2k|2048", "2K|2048", "64M|67108864", "1G|1073741824", "1t|1099511627776",
        "1P|1125899906842624", "1E|1152921504606846976", "0x1000|4096", "0x1E|30", "010M|8388608"})
    void memparseAppliesBinarySuffixes(String text, long expected) {
        assertEquals(expected, Memparse.memparseStrict(text));
    }

    @ParameterizedTest(name = "memparse(\"{0}\") refused with {1}")
    @CsvSource(delimiter = '|', value = {"''|EINVAL", "G|EINVAL", "12Q|EINVAL", "1GB|EINVAL", "-1M|EINVAL",
        "16E|ERANGE", "99999999999999999999|ERANGE"})
    void memparseStrictRefuses(String text, Errno errno) {
        assertEquals(errno, assertThrows(ConversionException.class, () -> Memparse.memparseStrict(text)).errno());
    }

    @org.junit.jupiter.api.Test
    void memparseReportsWhereItStopped() {
        Memparse.Result result = Memparse.memparse("x256M@16M", 1);
        assertEquals(256L << 20, result.value());
        assertEquals(5, result.end());
        assertEquals(1, Memparse.memparse("x", 1).end());
        assertEquals(0, Memparse.memparse("abc", 0).end());
    }
}
