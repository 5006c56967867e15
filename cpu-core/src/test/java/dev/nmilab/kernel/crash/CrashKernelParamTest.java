package dev.nmilab.kernel.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.KernelParamException;
import dev.nmilab.kernel.cmdline.KernelCommandLine;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CrashKernelParamTest {
    private static final long M = 1L << 20;
    private static final long G = 1L << 30;

    private static final String FEDORA_STYLE = "1G-4G:192M,4G-64G:256M,64G-:512M";

    @ParameterizedTest(name = "{0} MiB of RAM reserves {1} MiB")
    @CsvSource({
        "768, 0",
        "1024, 192",
        "3072, 192",
        "4095, 192",
        "4096, 256",
        "65535, 256",
        "65536, 512",
        "1048576, 512"})
    void rangesSelectBySystemRam(long ramMiB, long reservedMiB) {
        CrashKernelParam param = CrashKernelParam.parse(FEDORA_STYLE);
        Optional<CrashKernelReservation> reservation = param.select(ramMiB * M);
        if (reservedMiB == 0) {
            assertEquals(Optional.empty(), reservation);
        } else {
            assertEquals(Optional.of(new CrashKernelReservation(reservedMiB * M, OptionalLong.empty(),
                    CrashKernelParam.Suffix.NONE)), reservation);
        }
    }

    @Test
    void aRangeAskingForAllOfRamBeforeTheMatchIsInvalidSize() {
        CrashKernelParam param = CrashKernelParam.parse(FEDORA_STYLE);
        KernelParamException e = assertThrows(KernelParamException.class, () -> param.select(512 * M));
        assertEquals("crashkernel: invalid size 536870912 for 536870912 bytes of System RAM in \""
                + FEDORA_STYLE + "\"", e.getMessage());
        assertThrows(KernelParamException.class, () -> param.select(256 * M));
    }

    @Test
    void rangesAreKeptInOrder() {
        CrashKernelParam param = CrashKernelParam.parse(FEDORA_STYLE);
        assertTrue(param.isRangeForm());
        assertEquals(3, param.ranges().size());
        assertEquals(new CrashKernelParam.Range(G, OptionalLong.of(4 * G), 192 * M), param.ranges().get(0));
        assertEquals(new CrashKernelParam.Range(64 * G, OptionalLong.empty(), 512 * M), param.ranges().get(2));
        assertEquals("crashkernel=" + FEDORA_STYLE, param.toString());
    }

    @Test
    void rangesWithOffset() {
        CrashKernelParam param = CrashKernelParam.parse("512M-2G:64M,2G-:128M@16M");
        assertEquals(OptionalLong.of(16 * M), param.offset());
        CrashKernelReservation reservation = param.select(4 * G).orElseThrow();
        assertEquals(128 * M, reservation.size());
        assertEquals(OptionalLong.of(16 * M), reservation.base());
        assertEquals(64 * M, param.select(G).orElseThrow().size());
        assertEquals(Optional.empty(), param.select(256 * M));
    }

    @ParameterizedTest(name = "crashkernel={0}")
    @CsvSource(delimiter = '|', value = {
        "256M|268435456|0|NONE",
        "256M@16M|268435456|16777216|NONE",
        "128M@0|134217728|0|NONE",
        "0x10000000|268435456|0|NONE",
        "512M,high|536870912|0|HIGH",
        "72M,low|75497472|0|LOW"})
    void simpleAndSuffixedForms(String value, long size, long base, CrashKernelParam.Suffix suffix) {
        CrashKernelParam param = CrashKernelParam.parse(value);
        assertFalse(param.isRangeForm());
        assertEquals(suffix, param.suffix());
        CrashKernelReservation reservation = param.select(8 * G).orElseThrow();
        assertEquals(size, reservation.size());
        assertEquals(base == 0 ? OptionalLong.empty() : OptionalLong.of(base), reservation.base());
        assertEquals(suffix, reservation.suffix());
    }

    @Test
    void zeroSizeReservesNothing() {
        assertEquals(Optional.empty(), CrashKernelParam.parse("0").select(8 * G));
        assertEquals(Optional.empty(), CrashKernelParam.parse("1G-:0").select(8 * G));
    }

    @ParameterizedTest(name = "crashkernel={0}")
    @CsvSource(delimiter = '|', value = {
        "''|crashkernel: memory value expected|0",
        "abc|crashkernel: memory value expected|0",
        "256Mx|crashkernel: unrecognized char: x|4",
        "256M@|Memory value expected after '@'|5",
        "256M@16Mz|crashkernel: unrecognized char: z|8",
        "1G:128M|crashkernel: '-' expected|2",
        "x-1G:1M|crashkernel: Memory value expected|0",
        "1G-x:1M|crashkernel: Memory value expected|3",
        "4G-1G:128M|crashkernel: end <= start|3",
        "1G-1G:128M|crashkernel: end <= start|3",
        "1G-4G128M:1M|crashkernel: ':' expected|5",
        "1G-4G128M|crashkernel: unrecognized char: -|2",
        "1G-:|Memory value expected|4",
        "1G-2G:128M,|crashkernel: Memory value expected|11",
        "1G-2G:128M;|crashkernel: unrecognized char: ;|10",
        "1G-2G:128M@|Memory value expected after '@'|11",
        "1G-2G:128M@16Mq|crashkernel: unrecognized char: q|14",
        "x,high|crashkernel: memory value expected|0",
        "256M@1G,high|crashkernel: unrecognized char: @|4",
        "1G-4G:256M,low|crashkernel: unrecognized char: -|2",
        "16E|crashkernel: value does not fit 64 bits|0"})
    void errorsUseTheKernelWordsAndSayWhere(String value, String words, int offset) {
        KernelParamException e = assertThrows(KernelParamException.class, () -> CrashKernelParam.parse(value));
        assertEquals(words + " at offset " + offset + " of \"" + value + "\"", e.getMessage());
        assertEquals(value, e.offendingText());
        assertEquals(OptionalInt.of(offset), e.offset());
        assertEquals(Optional.of("crashkernel"), e.param());
    }

    @Test
    void commandLinePicksTheLastOfEachSuffix() {
        KernelCommandLine line = KernelCommandLine.parse(
                "crashkernel=128M crashkernel=256M,high crashkernel=512M crashkernel=64M,low crashkernel");
        assertEquals(512 * M, CrashKernelParam.fromCommandLine(line, CrashKernelParam.Suffix.NONE)
                .orElseThrow().select(8 * G).orElseThrow().size());
        assertEquals(256 * M, CrashKernelParam.fromCommandLine(line, CrashKernelParam.Suffix.HIGH)
                .orElseThrow().select(8 * G).orElseThrow().size());
        assertEquals(64 * M, CrashKernelParam.fromCommandLine(line, CrashKernelParam.Suffix.LOW)
                .orElseThrow().select(8 * G).orElseThrow().size());
        assertEquals(Optional.empty(), CrashKernelParam.fromCommandLine(
                KernelCommandLine.parse("quiet crashkernel=256M,high"), CrashKernelParam.Suffix.NONE));
    }
}
