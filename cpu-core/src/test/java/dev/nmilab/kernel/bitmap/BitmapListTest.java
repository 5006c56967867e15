package dev.nmilab.kernel.bitmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.KernelParamException;
import java.util.BitSet;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BitmapListTest {

    static Stream<Arguments> goodLists() {
        return Stream.of(
                Arguments.of("0,13,16", 32, new int[] {0, 13, 16}, "0,13,16"),
                Arguments.of("10-100", 128, IntStream.rangeClosed(10, 100).toArray(), "10-100"),
                Arguments.of("0,1,2-8,10", 16, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 10}, "0-8,10"),
                Arguments.of("0-31:1/4", 32, new int[] {0, 4, 8, 12, 16, 20, 24, 28}, "0,4,8,12,16,20,24,28"),
                Arguments.of("2-7:2/3", 8, new int[] {2, 3, 5, 6}, "2-3,5-6"),
                Arguments.of("0-9:3/3", 10, IntStream.rangeClosed(0, 9).toArray(), "0-9"),
                Arguments.of("4,5", 8, new int[] {4, 5}, "4-5"),
                Arguments.of("N", 64, new int[] {63}, "63"),
                Arguments.of("0-N", 4, new int[] {0, 1, 2, 3}, "0-3"),
                Arguments.of("1-N:1/2", 8, new int[] {1, 3, 5, 7}, "1,3,5,7"),
                Arguments.of("", 8, new int[] {}, ""),
                Arguments.of(" 1 , 3\n", 8, new int[] {1, 3}, "1,3"),
                Arguments.of(",,5,,", 8, new int[] {5}, "5"),
                Arguments.of("3\n7", 8, new int[] {3}, "3"),
                Arguments.of("0-7:1/2\n5", 8, new int[] {0, 2, 4, 5, 6}, "0,2,4-6"),
                Arguments.of("7,0,7,3-5,4", 8, new int[] {0, 3, 4, 5, 7}, "0,3-5,7"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" over {1} bits")
    @MethodSource("goodLists")
    void parsesAndFormats(String list, int nbits, int[] members, String formatted) {
        BitmapList parsed = BitmapList.parse(list, nbits);
        assertArrayEquals(members, parsed.toArray());
        assertEquals(members.length, parsed.cardinality());
        assertEquals(formatted, parsed.format());
        assertEquals(parsed, BitmapList.parse(parsed.format(), nbits), "format() reads back the same set");
        assertEquals(parsed, BitmapList.of(nbits, members));
    }

    static Stream<Arguments> badLists() {
        return Stream.of(
                Arguments.of("0-x", 8, "bitmap_parselist \"0-x\": number expected in region \"0-x\" at offset 2 (-EINVAL)",
                        "0-x", 2),
                Arguments.of("1,5-3", 8,
                        "bitmap_parselist \"1,5-3\": start 5 > end 3 in region \"5-3\" at offset 2 (-EINVAL)", "5-3", 0),
                Arguments.of("0-64", 64,
                        "bitmap_parselist \"0-64\": bit 64 is past the last bit 63 in region \"0-64\" at offset 0 (-ERANGE)",
                        "0-64", 0),
                Arguments.of("8", 8,
                        "bitmap_parselist \"8\": bit 8 is past the last bit 7 in region \"8\" at offset 0 (-ERANGE)", "8", 0),
                Arguments.of("4294967296", 8,
                        "bitmap_parselist \"4294967296\": number does not fit 32 bits in region \"4294967296\" at offset 0"
                                + " (-EOVERFLOW)", "4294967296", 0),
                Arguments.of("1-3:2/0", 8,
                        "bitmap_parselist \"1-3:2/0\": group length 0 in region \"1-3:2/0\" at offset 0 (-EINVAL)",
                        "1-3:2/0", 0),
                Arguments.of("1-3:3/2", 8,
                        "bitmap_parselist \"1-3:3/2\": used 3 > group length 2 in region \"1-3:3/2\" at offset 0 (-EINVAL)",
                        "1-3:3/2", 0),
                Arguments.of("1;2", 8, "bitmap_parselist \"1;2\": '-' expected in region \"1;2\" at offset 1 (-EINVAL)",
                        "1;2", 1),
                Arguments.of("1-3:2", 8, "bitmap_parselist \"1-3:2\": '/' expected in region \"1-3:2\" at offset 5 (-EINVAL)",
                        "1-3:2", 5),
                Arguments.of("0-3x", 8, "bitmap_parselist \"0-3x\": ':' expected in region \"0-3x\" at offset 3 (-EINVAL)",
                        "0-3x", 3),
                Arguments.of("2,-1", 8, "bitmap_parselist \"2,-1\": number expected in region \"-1\" at offset 2 (-EINVAL)",
                        "-1", 0),
                Arguments.of("0-2:1/2x", 8,
                        "bitmap_parselist \"0-2:1/2x\": number expected in region \"x\" at offset 7 (-EINVAL)", "x", 0));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("badLists")
    void errorsNameTokenPositionAndErrno(String list, int nbits, String message, String token, int offsetInToken) {
        KernelParamException e = assertThrows(KernelParamException.class, () -> BitmapList.parse(list, nbits));
        assertEquals(message, e.getMessage());
        assertEquals(token, e.offendingText());
        assertEquals(OptionalInt.of(offsetInToken), e.offset());
    }

    @Test
    void containsIsBoundedByNbits() {
        BitmapList cpus = BitmapList.parse("1-3", 4);
        assertTrue(cpus.contains(1));
        assertTrue(cpus.contains(3));
        assertFalse(cpus.contains(0));
        assertFalse(cpus.contains(4));
        assertFalse(cpus.contains(-1));
        assertEquals(4, cpus.nbits());
        assertThrows(IllegalArgumentException.class, () -> BitmapList.parse("0", 0));
        assertThrows(IllegalArgumentException.class, () -> BitmapList.of(4, 4));
    }

    @Test
    void isImmutable() {
        BitmapList cpus = BitmapList.parse("0-1", 4);
        BitSet copy = cpus.toBitSet();
        copy.set(3);
        assertFalse(cpus.contains(3));
        assertTrue(BitmapList.empty(4).isEmpty());
        assertEquals("", BitmapList.empty(4).format());
    }
}
