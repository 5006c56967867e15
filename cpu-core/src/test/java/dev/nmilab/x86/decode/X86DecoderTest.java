package dev.nmilab.x86.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hand-picked encodings with the lengths Unicorn 2.0.1 gives them (each was run through the engine
 * when this table was written: the valid ones report exactly this size, the -1 ones raise #UD, are
 * longer than 15 bytes or abort the engine), truncation, bounds and port I/O recognition. The tests
 * against the engine itself are X86DecoderTestUnicornCorpusTest and X86DecoderTestRandomBytesTest.
 */
class X86DecoderTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Hex bytes and the expected length (-1: unknown); "--" lines name the group below them. */
    private static final String TABLE = """
            -- nop, pause, LOCK nop, xchg r8d
            90                                             1
            f3 90                                          2
            f0 90                                          -1
            41 90                                          2
            -- ModRM, SIB and displacement forms; REX.B does not change them; 67 keeps the layout
            00 c0                                          2
            00 00                                          2
            00 04 24                                       3
            00 04 25 78 56 34 12                           7
            00 05 78 56 34 12                              6
            00 45 10                                       3
            00 85 78 56 34 12                              6
            00 44 24 10                                    4
            00 84 24 78 56 34 12                           7
            00 04 65 00 00 00 00                           7
            41 00 04 24                                    4
            41 00 45 00                                    4
            41 00 05 00 00 00 00                           7
            67 00 00                                       3
            67 00 05 00 00 00 00                           7
            67 00 04 25 00 00 00 00                        8
            -- immediates: Ib, Iz with 66 and REX.W; group 1
            04 7f                                          2
            05 78 56 34 12                                 5
            66 05 34 12                                    4
            48 05 78 56 34 12                              6
            80 00 7f                                       3
            81 00 78 56 34 12                              6
            66 81 00 34 12                                 5
            83 00 7f                                       3
            82 00 7f                                       -1
            -- group 3: an immediate for TEST (/0) only, /1 unknown to QEMU, LOCK NOT/NEG need memory
            f6 00 7f                                       3
            f6 08                                          -1
            f6 10                                          2
            f7 00 78 56 34 12                              6
            66 f7 00 34 12                                 5
            48 f7 00 78 56 34 12                           7
            f7 d8                                          2
            f0 f7 d8                                       -1
            f0 f7 18                                       3
            -- push imm, imul 3-operand
            68 78 56 34 12                                 5
            66 68 34 12                                    4
            6a 7f                                          2
            69 c0 78 56 34 12                              6
            66 69 c0 34 12                                 5
            6b c0 7f                                       3
            -- moffs: 8 bytes, 4 with 67
            a0 11 22 33 44 55 66 77 88                     9
            67 a0 11 22 33 44                              6
            48 a1 11 22 33 44 55 66 77 88                  10
            66 a3 11 22 33 44 55 66 77 88                  10
            -- mov imm: imm64 with REX.W, and QEMU keeps a REX that other prefixes follow
            b8 78 56 34 12                                 5
            48 b8 11 22 33 44 55 66 77 88                  10
            66 b8 34 12                                    4
            48 66 b8 11 22 33 44 55 66 77 88               11
            66 48 b8 11 22 33 44 55 66 77 88               11
            48 40 b8 11 22 33 44                           7
            40 48 b8 11 22 33 44 55 66 77 88               11
            48 f3 b8 11 22 33 44 55 66 77 88               11
            b0 7f                                          2
            41 b0 7f                                       3
            -- ret/lret imm16, enter, int
            c2 08 00                                       3
            ca 08 00                                       3
            c8 10 00 01                                    4
            cd 80                                          2
            cc                                             1
            -- C6/C7: reg checked with REX.R; reg 7 allowed on registers (xabort/xbegin forms)
            c6 00 7f                                       3
            c6 08 7f                                       -1
            44 c6 00 7f                                    -1
            c6 f8 7f                                       3
            c7 00 78 56 34 12                              6
            66 c7 00 34 12                                 5
            48 c7 c0 78 56 34 12                           7
            -- relative branches: QEMU honours 66 on e8/e9
            e8 78 56 34 12                                 5
            66 e8 34 12                                    4
            48 66 e8 78 56 34 12                           7
            e9 78 56 34 12                                 5
            eb 00                                          2
            70 00                                          2
            e3 00                                          2
            e0 00                                          2
            -- invalid in 64-bit mode
            9a 11 22 33 44 55 66                           -1
            ea 11 22 33 44 55 66                           -1
            06                                             -1
            07                                             -1
            0e                                             -1
            16                                             -1
            17                                             -1
            1e                                             -1
            1f                                             -1
            27                                             -1
            2f                                             -1
            37                                             -1
            3f                                             -1
            60                                             -1
            61                                             -1
            62 00                                          -1
            d4 0a                                          -1
            d5 0a                                          -1
            d6                                             -1
            ce                                             -1
            f1                                             -1
            -- VEX: always a prefix; legacy prefixes or REX before it, map 0/4, VEX.L on BMI are #UD
            c5 f8 58 c0                                    4
            c4 e2 78 f2 c0                                 5
            c4 e2 7c f2 c0                                 -1
            c4 e3 7b f0 c0 05                              6
            66 c5 f8 58 c0                                 -1
            48 c5 f8 58 c0                                 -1
            c4 e0 78 f2 c0                                 -1
            c4 e4 78 f2 c0                                 -1
            c5 fc 77                                       3
            -- groups 4/5; far call/jmp through a register aborts Unicorn, so -1
            ff c0                                          2
            ff 10                                          2
            ff d0                                          2
            ff 18                                          2
            ff d8                                          -1
            ff 28                                          2
            ff e8                                          -1
            ff 30                                          2
            ff 38                                          -1
            fe 10                                          -1
            fe c0                                          2
            f0 fe c0                                       -1
            f0 fe 00                                       3
            -- segment moves, lea, pop Ev (any reg field in QEMU)
            8c d8                                          2
            8c f0                                          -1
            8d 00                                          2
            8d c0                                          -1
            8e d8                                          2
            8e c8                                          -1
            8f 00                                          2
            8f 08                                          2
            -- LOCK: memory destinations only, except QEMU's xor r,r shortcut; LOCK CMP/CMPS/SCAS rejected
            f0 01 00                                       3
            f0 01 c0                                       -1
            f0 31 c0                                       3
            f0 39 00                                       -1
            f0 83 00 01                                    4
            f0 83 38 01                                    -1
            f0 83 c0 01                                    -1
            f0 88 00                                       3
            f0 a4                                          2
            f0 ae                                          -1
            -- string ops and port I/O
            f3 a4                                          2
            f3 48 a5                                       3
            66 ad                                          2
            f2 ae                                          2
            e4 60                                          2
            e5 60                                          2
            66 e5 60                                       3
            e6 80                                          2
            e7 80                                          2
            ec                                             1
            ed                                             1
            66 ed                                          2
            ee                                             1
            ef                                             1
            6c                                             1
            f3 6d                                          2
            f3 66 6f                                       3
            48 6e                                          2
            -- x87
            d9 c0                                          2
            d9 d0                                          2
            d9 d1                                          -1
            d9 e8                                          2
            d9 ef                                          -1
            dd 00                                          2
            d9 08                                          -1
            db 28                                          2
            df e0                                          2
            df e1                                          -1
            de d9                                          2
            de d8                                          -1
            da e9                                          2
            db e3                                          2
            db e5                                          -1
            dd 30                                          2
            dd 28                                          -1
            d8 84 24 78 56 34 12                           7
            9b                                             1
            -- the 15-byte limit
            66 66 66 66 66 66 66 66 66 66 66 66 66 66 90   15
            66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90 -1
            f3 f3 f3 f3 f3 f3 f3 f3 f3 f3 f3 f3 f3 90      14
            26 2e 36 3e 64 65 f3 f2 66 67 48 b8 11 22 33 44 55 66 77 88 -1
            -- 0F map: system instructions, ud0/ud1/ud2 and holes
            0f 05                                          2
            0f 07                                          2
            0f 34                                          2
            0f a2                                          2
            0f 31                                          2
            0f 30                                          2
            0f 32                                          2
            0f 33                                          2
            0f 0b                                          -1
            0f b9 00                                       -1
            0f ff 00                                       -1
            0f 04                                          -1
            0f 0a                                          -1
            0f 0c                                          -1
            0f 24                                          -1
            0f 36                                          -1
            0f aa                                          -1
            -- 0F 01 group 7
            0f 01 f8                                       3
            0f 01 f9                                       3
            0f 01 c8                                       3
            0f 01 c9                                       3
            0f 01 d0                                       3
            66 0f 01 d0                                    -1
            0f 01 c1                                       -1
            0f 01 00                                       3
            0f 01 05 78 56 34 12                           7
            0f 01 28                                       -1
            0f 01 38                                       3
            0f 01 e0                                       3
            0f 01 f0                                       3
            0f 01 ca                                       3
            0f 01 ee                                       3
            0f 01 d8                                       3
            -- 0F 00, prefetch and hint nops
            0f 00 00                                       3
            0f 00 30                                       -1
            0f 0d 00                                       3
            0f 0d c0                                       -1
            0f 18 00                                       3
            0f 18 c0                                       -1
            0f 18 e0                                       3
            0f 1f 00                                       3
            0f 1f 40 00                                    4
            0f 1f 44 00 00                                 5
            66 0f 1f 44 00 00                              6
            0f 1f 80 00 00 00 00                           7
            0f 1f 84 00 00 00 00 00                        8
            66 2e 0f 1f 84 00 00 00 00 00                  10
            0f 1e fa                                       3
            f3 0f 1e fa                                    4
            -- mov cr/dr: mod ignored, no SIB or displacement; cr 0/2/3/4/8, dr 0-7
            0f 20 c0                                       3
            0f 20 04                                       3
            0f 22 d8                                       3
            0f 20 c8                                       -1
            0f 20 e8                                       -1
            44 0f 20 c0                                    4
            44 0f 20 c8                                    -1
            0f 21 c0                                       3
            0f 23 f8                                       3
            44 0f 21 c0                                    -1
            -- cmovcc, setcc, jcc rel32 (rel16 with 66)
            0f 40 c0                                       3
            0f 4f 84 24 78 56 34 12                        8
            0f 90 c0                                       3
            0f 9f 00                                       3
            0f 80 78 56 34 12                              6
            66 0f 84 34 12                                 5
            0f 8f 78 56 34 12                              6
            -- bit tests and double shifts
            0f a3 c0                                       3
            f0 0f ab 00                                    4
            f0 0f ab c0                                    -1
            0f ba e0 05                                    4
            0f ba 20 05                                    4
            0f ba c0 05                                    -1
            0f a4 c0 05                                    4
            0f a5 c0                                       3
            0f ac 00 05                                    4
            0f ad 00                                       3
            -- 0F AE group 15
            0f ae 00                                       3
            0f ae 10                                       3
            0f ae 38                                       3
            66 0f ae 38                                    4
            f3 0f ae 38                                    -1
            0f ae e8                                       3
            0f ae f0                                       3
            0f ae f8                                       3
            0f ae e0                                       -1
            f3 0f ae c0                                    4
            0f ae c0                                       -1
            f0 0f ae e8                                    -1
            -- cmpxchg, lss, movzx, popcnt (F3 only), tzcnt/lzcnt
            0f b0 00                                       3
            f0 0f b1 0b                                    4
            f0 0f b1 c8                                    -1
            0f b2 00                                       3
            0f b2 c0                                       -1
            0f b6 c0                                       3
            0f bf 00                                       3
            f3 0f b8 c0                                    4
            0f b8 c0                                       -1
            f2 0f b8 c0                                    -1
            f3 0f bc c0                                    4
            f3 0f bd c0                                    4
            0f bc c0                                       3
            -- xadd, movnti, group 9, bswap
            0f c0 c0                                       3
            f0 0f c1 00                                    4
            0f c3 00                                       3
            0f c3 c0                                       -1
            0f c7 08                                       3
            48 0f c7 08                                    4
            0f c7 c8                                       -1
            0f c7 f0                                       3
            0f c7 f8                                       3
            0f c7 30                                       -1
            f3 0f c7 f0                                    -1
            0f c7 18                                       -1
            0f c8                                          2
            49 0f cf                                       3
            -- 3DNow! (QEMU ignores 66/F2/F3 there)
            0f 0e                                          2
            0f 0f c1 9e                                    4
            0f 0f 00 b4                                    4
            0f 0f c1 00                                    -1
            66 0f 0f c1 9e                                 5
            -- SSE: 66 before F3 before F2; imm8 forms; forms that read no SIB or displacement
            0f 10 00                                       3
            66 0f 10 00                                    4
            f3 0f 10 00                                    4
            f2 0f 10 00                                    4
            f3 66 0f 10 00                                 5
            0f 28 c1                                       3
            66 0f 6f 04 24                                 5
            f3 0f 6f 00                                    4
            f2 0f 6f 00                                    -1
            0f 70 c0 1b                                    4
            66 0f 70 c0 1b                                 5
            f3 0f 70 c0 1b                                 5
            f2 0f 70 00 1b                                 5
            0f c2 c0 07                                    4
            0f c2 c0 08                                    -1
            66 0f c2 00 01                                 5
            0f c6 c0 1b                                    4
            66 0f c4 c0 03                                 5
            0f c5 c0 03                                    4
            0f c5 00 03                                    -1
            66 0f 71 d0 05                                 5
            0f 71 d0 05                                    4
            0f 71 10 05                                    4
            0f 71 14 05                                    4
            0f 71 90 05                                    4
            0f 71 c0 05                                    -1
            66 0f 73 d8 05                                 5
            0f 73 d8 05                                    -1
            0f 50 c0                                       3
            0f 50 84                                       3
            f3 0f d6 c0                                    4
            f3 0f d6 84                                    4
            66 0f d6 00                                    4
            66 0f d7 c0                                    4
            66 0f d7 00                                    -1
            66 0f e7 00                                    4
            66 0f e7 c0                                    -1
            f2 0f f0 00                                    4
            f2 0f f0 c0                                    -1
            66 0f f7 c1                                    4
            66 0f f7 00                                    -1
            0f 2b 00                                       3
            0f 2b c0                                       -1
            0f 13 00                                       3
            0f 13 c0                                       -1
            0f 12 c0                                       3
            66 0f 78 c0 01 02                              6
            66 0f 78 c8 01 02                              -1
            f2 0f 78 c1 01 02                              6
            66 0f 78 04 01 02                              6
            0f 78 c0                                       -1
            0f 7a                                          -1
            f2 0f 7c c1                                    4
            0f 7c c1                                       -1
            0f 77                                          2
            66 0f 77                                       -1
            0f d6 c0                                       -1
            0f ff c0                                       -1
            c5 f9 6f c1                                    4
            c5 fd 6f c1                                    -1
            -- 0F 38, including movbe/crc32/adcx/adox and the BMI1/BMI2 VEX forms
            0f 38 00 c1                                    4
            66 0f 38 00 c1                                 5
            66 0f 38 00 04 24                              6
            0f 38 10 c1                                    -1
            66 0f 38 17 c1                                 5
            66 0f 38 2a 00                                 5
            66 0f 38 2a c0                                 -1
            66 0f 38 41 c1                                 5
            66 0f 38 db c1                                 5
            66 0f 38 42 c1                                 -1
            f3 0f 38 00 c1                                 -1
            0f 38 f0 00                                    4
            0f 38 f1 00                                    4
            0f 38 f0 c0                                    4
            f2 0f 38 f0 c0                                 5
            f2 48 0f 38 f1 c0                              6
            66 f2 0f 38 f1 c0                              6
            66 0f 38 f6 c0                                 5
            f3 0f 38 f6 c0                                 5
            0f 38 f6 c0                                    -1
            0f 38 f2 c0                                    -1
            c4 e2 78 f3 c8                                 5
            c4 e2 78 f3 c0                                 -1
            c4 e2 78 f7 c0                                 5
            c4 e2 78 f5 c0                                 5
            c4 e2 7b f5 c0                                 5
            c4 e2 7a f5 c0                                 5
            c4 e2 7b f6 c0                                 5
            c4 e2 79 f7 c0                                 5
            c4 e2 7a f7 c0                                 5
            c4 e2 7b f7 c0                                 5
            c4 e2 79 f5 c0                                 -1
            c4 e2 78 f2 44 24 08                           7
            -- 0F 3A: an imm8 after the operand
            66 0f 3a 0f c1 08                              6
            0f 3a 0f c1 08                                 5
            66 0f 3a 16 c0 01                              6
            66 48 0f 3a 16 00 01                           7
            66 0f 3a 44 c1 00                              6
            66 0f 3a 63 c1 00                              6
            66 0f 3a df c1 00                              6
            66 0f 3a 0c 44 24 08 01                        8
            0f 3a 08 c1 00                                 -1
            f3 0f 3a 0f c1 00                              -1
            66 0f 3a 43 c1 00                              -1
            """;

    record Case(String hex, byte[] bytes, int length) {
    }

    static List<Case> cases() {
        return TABLE.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("--"))
                .map(line -> {
                    int cut = line.lastIndexOf(' ');
                    String hex = line.substring(0, cut).strip();
                    return new Case(hex, bytes(hex), Integer.parseInt(line.substring(cut + 1)));
                }).toList();
    }

    static Stream<Arguments> table() {
        return cases().stream().map(c -> Arguments.of(c.hex(), c.length()));
    }

    private static byte[] bytes(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("table")
    void lengthIsWhatUnicornDecodes(String hex, int expected) {
        byte[] bytes = bytes(hex);
        assertEquals(expected, X86Decoder.length(bytes, 0, bytes.length), hex);
        // the same bytes inside a larger buffer, followed by anything: the same length
        byte[] padded = new byte[bytes.length + 40];
        Arrays.fill(padded, (byte) 0xcc);
        System.arraycopy(bytes, 0, padded, 7, bytes.length);
        int inBuffer = X86Decoder.length(padded, 7, padded.length);
        if (expected > 0) {
            assertEquals(expected, inBuffer, hex + " at offset 7 of a larger buffer");
        } else if (bytes.length > X86Decoder.MAX_LENGTH) {
            assertEquals(-1, inBuffer, hex + " at offset 7: too long whatever follows");
        }
    }

    @Test
    void everyValidInstructionCutShortIsUnknown() {
        int checked = 0;
        for (Case c : cases()) {
            if (c.length() < 0) {
                continue;
            }
            byte[] buffer = new byte[32];
            System.arraycopy(c.bytes(), 0, buffer, 5, c.length());
            for (int limit = 5; limit < 5 + c.length(); limit++) {
                assertEquals(-1, X86Decoder.length(buffer, 5, limit), c.hex() + " cut to " + (limit - 5) + " bytes");
                checked++;
            }
            assertEquals(c.length(), X86Decoder.length(buffer, 5, 5 + c.length()), c.hex() + " exactly at the limit");
        }
        assertTrue(checked > 1000, "cuts checked: " + checked);
    }

    @Test
    void theFifteenByteLimitCountsPrefixesToo() {
        for (int prefixes = 0; prefixes <= 16; prefixes++) {
            byte[] bytes = new byte[prefixes + 1];
            Arrays.fill(bytes, (byte) 0x2e); // cs: overrides
            bytes[prefixes] = (byte) 0x90;
            int expected = prefixes + 1 <= 15 ? prefixes + 1 : -1;
            assertEquals(expected, X86Decoder.length(bytes, 0, bytes.length), prefixes + " prefixes + nop");
        }
        byte[] sixteen = bytes("2e 2e 2e 2e 2e 2e 48 b8 11 22 33 44 55 66 77 88"); // movabs with 6 prefixes
        assertEquals(-1, X86Decoder.length(sixteen, 0, sixteen.length));
        assertEquals(15, X86Decoder.length(sixteen, 1, sixteen.length), "one prefix fewer");
    }

    @Test
    void boundsOutsideTheArrayThrowAndAnEmptyRangeIsUnknown() {
        byte[] nops = {(byte) 0x90, (byte) 0x90, (byte) 0x90};
        assertThrows(IndexOutOfBoundsException.class, () -> X86Decoder.length(nops, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> X86Decoder.length(nops, 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> X86Decoder.length(nops, 2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> X86Decoder.isPortIo(nops, 4, 4));
        assertThrows(NullPointerException.class, () -> X86Decoder.length(null, 0, 0));
        assertEquals(-1, X86Decoder.length(nops, 3, 3));
        assertEquals(-1, X86Decoder.length(nops, 0, 0));
        assertEquals(1, X86Decoder.length(nops, 2, 3));
        assertFalse(X86Decoder.isPortIo(nops, 3, 3));
    }

    @Test
    void garbageNeverThrowsAndNeverReachesPastTheLimit() {
        Random random = new Random(0x5eed);
        byte[] garbage = new byte[4096];
        int known = 0;
        for (int round = 0; round < 300_000; round++) {
            if (round % 1000 == 0) {
                random.nextBytes(garbage);
            }
            int offset = random.nextInt(garbage.length + 1);
            int limit = offset + random.nextInt(Math.min(24, garbage.length - offset) + 1);
            int length = X86Decoder.length(garbage, offset, limit);
            assertTrue(length == -1 || (length >= 1 && length <= 15 && length <= limit - offset),
                    "length " + length + " at " + offset + ".." + limit);
            if (length > 0) {
                known++;
                assertEquals(-1, X86Decoder.length(garbage, offset, offset + length - 1), "one byte short");
                assertEquals(length, X86Decoder.length(garbage, offset, garbage.length), "more bytes after it");
            }
            X86Decoder.isPortIo(garbage, offset, limit);
        }
        assertTrue(known > 100_000, "random bytes mostly decode: " + known);
    }

    @ParameterizedTest
    @ValueSource(strings = {"e4 60", "e5 60", "66 e5 60", "48 e5 60", "e6 80", "e7 80", "66 e7 80", "ec", "ed",
        "66 ed", "41 ed", "ee", "ef", "66 ef", "6c", "6d", "66 6d", "6e", "6f", "f3 6c", "f3 6d", "f3 66 6d",
        "f3 48 6d", "f2 6e", "f3 6f", "67 f3 6c", "2e f3 6e", "64 6f", "66 48 ef", "f0 ec", "f0 e4 60",
        "f3 f3 66 2e 6f", "48 66 e5 60"})
    void portIoInstructionsAreRecognisedWithTheirPrefixes(String hex) {
        byte[] bytes = bytes(hex);
        assertEquals(bytes.length, X86Decoder.length(bytes, 0, bytes.length));
        assertTrue(X86Decoder.isPortIo(bytes, 0, bytes.length), hex);
        byte[] padded = new byte[bytes.length + 3];
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        assertTrue(X86Decoder.isPortIo(padded, 3, padded.length), hex + " at offset 3");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "e3 60", "e8 00 00 00 00", "e9 00 00 00 00", "eb 00", "e2 60", // jrcxz, call, jmp, loop
        "6b c0 01", "6a 01", "70 00", "68 00 00 00 00", // the neighbours of 6C-6F
        "0f e4 c0", "66 0f 6c c0", "0f ec c0", "0f ed c0", "0f 6f c0", "66 0f 6e c0", // 0F map
        "c5 f8 e4 c0", "c4 e1 79 6e c0", "c5 f9 ef c0", // VEX-encoded 0F-map opcodes
        "90", "f3 90", "a4", "f3 a5", "cd 80", "0f 30", "0f 32", "ff d0"})
    void nearMissesAreNotPortIo(String hex) {
        byte[] bytes = bytes(hex);
        assertTrue(X86Decoder.length(bytes, 0, bytes.length) > 0, hex + " is an instruction");
        assertFalse(X86Decoder.isPortIo(bytes, 0, bytes.length), hex);
    }

    @ParameterizedTest
    @ValueSource(strings = {"e4", "e5", "e6", "e7", "66 e5", "f3", "f3 66", "48"})
    void portIoCutShortIsNotPortIo(String hex) {
        byte[] bytes = bytes(hex);
        assertEquals(-1, X86Decoder.length(bytes, 0, bytes.length));
        assertFalse(X86Decoder.isPortIo(bytes, 0, bytes.length), hex);
    }

    @Test
    void decodingAllocatesNothing() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(threads instanceof com.sun.management.ThreadMXBean counting) || !counting.isThreadAllocatedMemorySupported()) {
            return; // nothing to measure with on this JVM
        }
        byte[] code = new byte[1 << 16];
        new Random(7).nextBytes(code);
        long checksum = decodeEverywhere(code); // warm up: class loading and compilation may allocate
        long before = counting.getCurrentThreadAllocatedBytes();
        for (int round = 0; round < 20; round++) {
            checksum += decodeEverywhere(code);
        }
        long allocated = counting.getCurrentThreadAllocatedBytes() - before;
        assertTrue(checksum != 0);
        assertTrue(allocated < 4096, allocated + " bytes allocated over " + 21 * code.length + " decodes");
    }

    private static long decodeEverywhere(byte[] code) {
        long sum = 0;
        for (int offset = 0; offset < code.length; offset++) {
            sum += X86Decoder.length(code, offset, code.length);
            sum += X86Decoder.isPortIo(code, offset, code.length) ? 1 : 0;
        }
        return sum;
    }

    @Test
    void portIoPastFifteenBytesIsNotAnInstruction() {
        byte[] sixteen = bytes("66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 ec");
        assertFalse(X86Decoder.isPortIo(sixteen, 0, sixteen.length), "16 bytes: #GP, not an instruction");
        assertTrue(X86Decoder.isPortIo(sixteen, 1, sixteen.length), "15 bytes");
    }
}
