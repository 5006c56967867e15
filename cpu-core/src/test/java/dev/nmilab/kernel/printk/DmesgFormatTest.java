package dev.nmilab.kernel.printk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DmesgFormatTest {

    @ParameterizedTest(name = "{0} ns -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0|[    0.000000]",
        "999|[    0.000000]",
        "1000|[    0.000001]",
        "2000123000|[    2.000123]",
        "2000123999|[    2.000123]",
        "12345678901000|[12345.678901]",
        "99999999999999|[99999.999999]",
        "123456000000000|[123456.000000]",
        "-1|[18446744073.709551]"})
    void printTimeIsSecondsWidthFiveAndMicroseconds(long nanos, String expected) {
        assertEquals(expected, DmesgFormat.printTime(nanos));
    }

    @ParameterizedTest(name = "{0} ns")
    @CsvSource({"0", "2000123000", "99999999999999", "123456000000000", "-1"})
    void lineLengthIsTheLengthOfTheLine(long nanos) {
        assertEquals(DmesgFormat.line(nanos, "kthread-noise/1: message 7").length(),
                DmesgFormat.lineLength(nanos, "kthread-noise/1: message 7"));
    }

    @Test
    void consoleLineAndRecordText() {
        assertEquals("[    2.000123] NMI watchdog: Enabled.", DmesgFormat.line(2_000_123_000L, "NMI watchdog: Enabled."));
        assertEquals("[    1.500000] Uhhuh. NMI received for unknown reason 3d on CPU 0.\n"
                        + "[    1.500000] Dazed and confused, but trying to continue\n",
                DmesgFormat.recordText(1_500_000_000L,
                        "Uhhuh. NMI received for unknown reason 3d on CPU 0.\nDazed and confused, but trying to continue"));
        assertEquals("[    0.000000] \n", DmesgFormat.recordText(0, ""));
    }

    @Test
    void syslogPrefixCarriesFacilityAndLevel() {
        assertEquals("<6>", DmesgFormat.printSyslog(0, LogLevel.KERN_INFO));
        assertEquals("<0>", DmesgFormat.printSyslog(0, LogLevel.KERN_EMERG));
        assertEquals("<13>", DmesgFormat.printSyslog(1, LogLevel.KERN_NOTICE));
        assertEquals("<4>[    3.000000] a\n<4>[    3.000000] b\n",
                DmesgFormat.syslogRecordText(0, LogLevel.KERN_WARNING, 3_000_000_000L, "a\nb"));
    }

    @Test
    void callerIdPrefix() {
        assertEquals("[    T1]", DmesgFormat.printCaller(DmesgFormat.taskCallerId(1)));
        assertEquals("[    C3]", DmesgFormat.printCaller(DmesgFormat.cpuCallerId(3)));
        assertEquals("[T123456]", DmesgFormat.printCaller(DmesgFormat.taskCallerId(123456)));
        assertEquals("[    0.000000][    C0] x", DmesgFormat.prefix(0, DmesgFormat.cpuCallerId(0)) + "x");
    }

    @Test
    void kmsgRecordEscapesLikeMsgAddExtText() {
        assertEquals("6,5,2000123,-;a\\x5cb\\x09c\n",
                DmesgFormat.kmsgRecord(0, LogLevel.KERN_INFO, 5, 2_000_123_456L, false, "a\\b\tc"));
        assertEquals("4,6,0,c;caf\\xc3\\xa9\n", DmesgFormat.kmsgRecord(0, LogLevel.KERN_WARNING, 6, 999, true, "café"));
    }

    @ParameterizedTest(name = "[{index}]")
    @CsvSource(delimiter = '|', value = {
        "'\u00013hello'|KERN_ERR|false|2|hello",
        "hello||false|0|hello",
        "'\u0001chello'||true|2|hello",
        "'\u0001c\u00016x'|KERN_INFO|true|4|x",
        "'\u00016\u00013x'|KERN_INFO|false|4|x",
        "'\u0001dx'||false|0|'\u0001dx'",
        "'\u0001'||false|0|'\u0001'",
        "'\u00018x'||false|0|'\u00018x'"})
    void printkParsePrefix(String message, LogLevel level, boolean cont, int prefixLength, String text) {
        PrintkPrefix prefix = PrintkPrefix.parse(message);
        assertEquals(Optional.ofNullable(level), prefix.level());
        assertEquals(cont, prefix.cont());
        assertEquals(prefixLength, prefix.prefixLength());
        assertEquals(text, prefix.text());
        assertEquals(text, PrintkPrefix.skipHeaders(message));
    }

    @Test
    void levelsAndDefaults() {
        assertEquals("\u00016", LogLevel.KERN_INFO.prefix());
        assertEquals("\u0001c", LogLevel.KERN_CONT);
        assertEquals("", LogLevel.KERN_DEFAULT);
        assertEquals(LogLevel.KERN_DEBUG, LogLevel.of(7));
        assertEquals("err", LogLevel.KERN_ERR.syslogName());
        assertThrows(IllegalArgumentException.class, () -> LogLevel.of(8));
        assertEquals(LogLevel.KERN_WARNING, PrintkPrefix.parse("plain").levelOrDefault(LogLevel.MESSAGE_LOGLEVEL_DEFAULT));
        assertEquals(LogLevel.KERN_EMERG, PrintkPrefix.parse(LogLevel.KERN_EMERG.prefix() + "Kernel panic")
                .levelOrDefault(LogLevel.MESSAGE_LOGLEVEL_DEFAULT));
        assertEquals('c', PrintkPrefix.printkGetLevel(LogLevel.KERN_CONT, 0));
        assertEquals(0, PrintkPrefix.printkGetLevel("x", 0));
        assertTrue(PrintkPrefix.parse(LogLevel.KERN_CONT + "more").cont());
        assertFalse(PrintkPrefix.parse("more").cont());
    }
}
