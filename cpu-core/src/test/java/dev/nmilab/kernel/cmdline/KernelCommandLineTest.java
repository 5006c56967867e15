package dev.nmilab.kernel.cmdline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.KernelParamException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KernelCommandLineTest {

    static Stream<Arguments> splitting() {
        return Stream.of(
                Arguments.of("foo=bar", List.of(KernelParam.of("foo", "bar"))),
                Arguments.of("quiet", List.of(KernelParam.flag("quiet"))),
                Arguments.of("foo=\"bar baz\"", List.of(KernelParam.of("foo", "bar baz"))),
                Arguments.of("\"foo=bar baz\"", List.of(KernelParam.of("foo", "bar baz"))),
                Arguments.of("\"two words\"", List.of(KernelParam.flag("two words"))),
                Arguments.of("a\"b c\"d", List.of(KernelParam.flag("a\"b c\"d"))),
                Arguments.of("foo=", List.of(KernelParam.of("foo", ""))),
                Arguments.of("foo=a=b", List.of(KernelParam.of("foo", "a=b"))),
                Arguments.of("foo=\"bar baz", List.of(KernelParam.of("foo", "bar baz"))),
                Arguments.of("foo=\"\"", List.of(KernelParam.of("foo", ""))),
                Arguments.of("=x", List.of(KernelParam.flag("=x"))),
                Arguments.of("dyndbg=\"file nmi.c +p\" quiet",
                        List.of(KernelParam.of("dyndbg", "file nmi.c +p"), KernelParam.flag("quiet"))),
                Arguments.of("  \tro\n root=/dev/sda1   nmi_watchdog=0 \n",
                        List.of(KernelParam.flag("ro"), KernelParam.of("root", "/dev/sda1"),
                                KernelParam.of("nmi_watchdog", "0"))),
                Arguments.of("ipmi_si.kipmid_max_busy_us=100 nmi-watchdog=1",
                        List.of(KernelParam.of("ipmi_si.kipmid_max_busy_us", "100"),
                                KernelParam.of("nmi-watchdog", "1"))),
                Arguments.of("", List.of()),
                Arguments.of("   ", List.of()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("splitting")
    void splitsLikeNextArg(String line, List<KernelParam> expected) {
        assertEquals(expected, KernelCommandLine.parse(line).params());
    }

    @Test
    void everythingAfterDoubleDashGoesToInit() {
        KernelCommandLine line = KernelCommandLine.parse("quiet -- single foo=\"a b\" -- ignored");
        assertEquals(List.of(KernelParam.flag("quiet")), line.params());
        assertEquals(List.of("single", "foo=a b"), line.initArguments());
        assertFalse(line.has("single"));
    }

    @Test
    void dashesAndUnderscoresAreTheSameNameButSpellingIsKept() {
        KernelCommandLine line = KernelCommandLine.parse("nmi-watchdog=0 nmi_watchdog=1 some-module.some-param=3");
        assertTrue(line.has("nmi_watchdog"));
        assertTrue(line.has("nmi-watchdog"));
        assertEquals(1, line.integer("nmi-watchdog", 7));
        assertEquals(List.of(KernelParam.of("nmi-watchdog", "0"), KernelParam.of("nmi_watchdog", "1")),
                line.occurrences("nmi_watchdog"));
        assertEquals(3, line.integer("some_module.some_param", 0));
        assertEquals("nmi-watchdog=0 nmi_watchdog=1 some-module.some-param=3", line.toString());
    }

    @Test
    void lastOccurrenceWinsAndAllAreListed() {
        KernelCommandLine line = KernelCommandLine.parse("panic=1 quiet panic=5");
        assertEquals(5, line.integer("panic", 0));
        assertEquals(2, line.occurrences("panic").size());
        assertEquals(3, line.params().size());
        assertEquals(Optional.of("5"), line.string("panic"));
    }

    @Test
    void unknownParametersAreKeptInOrder() {
        KernelCommandLine line = KernelCommandLine.parse("BOOT_IMAGE=/vmlinuz-6.1 rd.lvm.lv=rhel/root rhgb");
        assertEquals(List.of("BOOT_IMAGE", "rd.lvm.lv", "rhgb"),
                line.params().stream().map(KernelParam::name).toList());
        assertEquals(Optional.of("rhel/root"), line.string("rd.lvm.lv"));
    }

    static Stream<Arguments> integers() {
        return Stream.of(
                Arguments.of("panic=10", 10),
                Arguments.of("panic=-1", -1),
                Arguments.of("panic=0x10", 16),
                Arguments.of("panic=010", 8),
                Arguments.of("panic=+3", 3),
                Arguments.of("quiet", 42));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("integers")
    void integerParsesLikeKstrtoint(String line, int expected) {
        assertEquals(expected, KernelCommandLine.parse(line).integer("panic", 42));
    }

    static Stream<Arguments> badIntegers() {
        return Stream.of(
                Arguments.of("panic=abc", "Booting kernel: `abc' invalid for parameter `panic'", "abc"),
                Arguments.of("panic=10s", "Booting kernel: `10s' invalid for parameter `panic'", "10s"),
                Arguments.of("panic=99999999999", "Booting kernel: `99999999999' invalid for parameter `panic'",
                        "99999999999"),
                Arguments.of("panic=", "Booting kernel: `' invalid for parameter `panic'", ""),
                Arguments.of("panic", "Booting kernel: `' invalid for parameter `panic'", ""));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badIntegers")
    void badIntegerNamesKeyAndText(String line, String message, String offending) {
        KernelParamException e = assertThrows(KernelParamException.class,
                () -> KernelCommandLine.parse(line).integer("panic", 0));
        assertEquals(message, e.getMessage());
        assertEquals(Optional.of("panic"), e.param());
        assertEquals(offending, e.offendingText());
    }

    @Test
    void boolFollowsParamSetBool() {
        KernelCommandLine line = KernelCommandLine.parse("a b=0 c=on d=off e=yes f=N");
        assertTrue(line.bool("a"));
        assertFalse(line.bool("b"));
        assertTrue(line.bool("c"));
        assertFalse(line.bool("d"));
        assertTrue(line.bool("e"));
        assertFalse(line.bool("f"));
        assertFalse(line.bool("absent"));
        assertTrue(line.bool("absent", true));
        KernelParamException e = assertThrows(KernelParamException.class,
                () -> KernelCommandLine.parse("printk.time=maybe").bool("printk.time"));
        assertEquals("Booting kernel: `maybe' invalid for parameter `printk.time'", e.getMessage());
    }

    @Test
    void sizeUsesMemparse() {
        KernelCommandLine line = KernelCommandLine.parse("mem=4G memmap=0x10000 bad=4Q");
        assertEquals(OptionalLong.of(4L << 30), line.size("mem"));
        assertEquals(OptionalLong.of(0x10000), line.size("memmap"));
        assertEquals(OptionalLong.empty(), line.size("absent"));
        KernelParamException e = assertThrows(KernelParamException.class, () -> line.size("bad"));
        assertEquals("Booting kernel: `4Q' invalid for parameter `bad'", e.getMessage());
    }

    @Test
    void stringIsEmptyForAbsentAndBareFlags() {
        KernelCommandLine line = KernelCommandLine.parse("quiet console=ttyS0,115200n8");
        assertEquals(Optional.empty(), line.string("quiet"));
        assertTrue(line.has("quiet"));
        assertEquals(Optional.empty(), line.string("absent"));
        assertEquals(Optional.of("ttyS0,115200n8"), line.string("console"));
    }

    @Test
    void toStringNormalizesSpacingAndQuoting() {
        KernelCommandLine line = KernelCommandLine.parse(
                "  quiet   foo=\"bar baz\"\t\"x=1 2\"  \"a b\"  -- init=/bin/sh \"c d\"");
        String normalized = "quiet foo=\"bar baz\" x=\"1 2\" \"a b\" -- init=/bin/sh \"c d\"";
        assertEquals(normalized, line.toString());
        KernelCommandLine again = KernelCommandLine.parse(normalized);
        assertEquals(line.params(), again.params());
        assertEquals(line.initArguments(), again.initArguments());
        assertEquals(normalized, again.toString());
    }
}
