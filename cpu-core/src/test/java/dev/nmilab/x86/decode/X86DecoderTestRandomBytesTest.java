package dev.nmilab.x86.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random bytes, with fixed seeds: wherever objdump starts an instruction in a random blob, and for
 * instructions built from random prefixes, opcode maps and operand bytes, the engine decides. Every
 * instruction Unicorn accepts must get exactly the size its code hook reported.
 */
class X86DecoderTestRandomBytesTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int MAX = X86Decoder.MAX_LENGTH;

    private static SingleInstructionProbe probe;

    @BeforeAll
    static void openEngine() {
        probe = new SingleInstructionProbe();
    }

    @AfterAll
    static void closeEngine() {
        probe.close();
    }

    /** Counts of one comparison run; mismatches keep their first examples. */
    private static final class Tally {
        int cases;
        int valid;
        int rejected;
        int rejectedButDecoded;
        int skippedAsEngineAbort;
        final List<String> mismatches = new ArrayList<>();
        final List<String> unexplainedRejections = new ArrayList<>();

        /** Whether Unicorn accepted the instruction. */
        boolean check(byte[] candidate) {
            cases++;
            int decoded = X86Decoder.length(candidate, 0, candidate.length);
            if (SingleInstructionProbe.abortsTheEngine(candidate, 0, candidate.length)) {
                skippedAsEngineAbort++;
                if (decoded > 0 && SingleInstructionProbe.abortsWhileTranslating(candidate, 0, candidate.length)) {
                    mismatches.add(HEX.formatHex(candidate) + ": aborts Unicorn (#UD on hardware), decoder " + decoded);
                }
                return false;
            }
            SingleInstructionProbe.Verdict verdict = probe.run(candidate, 0, decoded > 0 ? decoded : MAX);
            if (verdict.valid()) {
                valid++;
                if (decoded != verdict.size()) {
                    mismatches.add(HEX.formatHex(candidate) + ": Unicorn " + verdict.size() + " (" + verdict.status()
                            + "), decoder " + decoded);
                }
            } else {
                rejected++;
                if (decoded > 0) {
                    rejectedButDecoded++;
                    if (!featureOrRunTimeCheck(candidate)) {
                        unexplainedRejections.add(HEX.formatHex(candidate) + ": Unicorn " + verdict.size() + " ("
                                + verdict.status() + "), decoder " + decoded);
                    }
                }
            }
            return verdict.valid();
        }

        void assertClean() {
            assertEquals(List.of(), mismatches.stream().limit(20).toList(), toString());
            assertEquals(List.of(), unexplainedRejections.stream().limit(20).toList(),
                    "decoded, but rejected for no reason the decoder documents");
        }

        @Override
        public String toString() {
            return cases + " cases: " + valid + " accepted by Unicorn, " + rejected + " rejected (" + rejectedButDecoded
                    + " of them decoded: a feature this CPU model lacks, or #UD raised at run time), "
                    + skippedAsEngineAbort + " skipped (they abort Unicorn 2.0.1), " + mismatches.size() + " mismatches";
        }
    }

    @Test
    void wherePrefixesOpcodeMapsAndOperandsAreRandom() {
        Random random = new Random(20260101);
        Tally tally = new Tally();
        byte[] candidate = new byte[MAX];
        for (int i = 0; i < 150_000; i++) {
            randomInstruction(random, candidate);
            tally.check(candidate);
        }
        System.out.println("structured random instructions: " + tally);
        tally.assertClean();
        assertTrue(tally.valid > 50_000, tally.toString());
    }

    @Test
    void whereObjdumpStartsAnInstructionInRandomBytes(@TempDir Path directory) throws IOException, InterruptedException {
        byte[] blob = new byte[160 * 1024];
        new Random(0xdec0de).nextBytes(blob);
        List<int[]> listing = objdump(blob, directory);
        assertTrue(listing.size() > blob.length / 6, "objdump decoded " + listing.size() + " instructions");

        Tally tally = new Tally();
        int objdumpAgrees = 0;
        byte[] candidate = new byte[MAX];
        for (int[] instruction : listing) {
            int offset = instruction[0];
            if (offset + MAX > blob.length) {
                break;
            }
            System.arraycopy(blob, offset, candidate, 0, MAX);
            if (tally.check(candidate) && X86Decoder.length(candidate, 0, MAX) == instruction[1]) {
                objdumpAgrees++;
            }
        }
        System.out.println("objdump instruction starts in random bytes: " + tally + "; objdump gives the same length"
                + " for " + objdumpAgrees + " of the accepted ones");
        tally.assertClean();
        assertTrue(tally.valid > tally.cases / 2, tally.toString());
        assertTrue(objdumpAgrees > tally.valid * 9 / 10, "objdump and QEMU agree on most: " + objdumpAgrees);
    }

    /**
     * Whether a decodable instruction the engine rejected is one QEMU checks a CPU feature, the vendor or
     * a run-time state for: group 7 (xgetbv, monitor, SVM, rdpkru), syscall/sysret, rdpmc,
     * sysenter/sysexit (AMD CPU model), group 15 (xsave, clwb, fsgsbase), popcnt, group 9 (rdrand,
     * rdseed), movbe, pclmulqdq, and int n (int 6 is #UD), also when VEX-encoded.
     */
    static boolean featureOrRunTimeCheck(byte[] c) {
        int p = 0;
        while (p < c.length && isLegacyOrRex(c[p] & 0xff)) {
            p++;
        }
        if (p + 3 >= c.length) {
            return false;
        }
        int b = c[p] & 0xff;
        int map;
        int opcode;
        if (b == 0xc5) {
            map = 1;
            opcode = c[p + 2] & 0xff;
        } else if (b == 0xc4) {
            map = c[p + 1] & 0x1f;
            opcode = c[p + 3] & 0xff;
        } else if (b == 0x0f) {
            int b2 = c[p + 1] & 0xff;
            map = b2 == 0x38 ? 2 : b2 == 0x3a ? 3 : 1;
            opcode = map == 1 ? b2 : c[p + 2] & 0xff;
        } else {
            return b == 0xcd;
        }
        return switch (map) {
            case 1 -> switch (opcode) {
                case 0x01, 0x05, 0x07, 0x33, 0x34, 0x35, 0xae, 0xb8, 0xc7 -> true;
                default -> false;
            };
            case 2 -> opcode == 0xf0 || opcode == 0xf1;
            case 3 -> opcode == 0x44;
            default -> false;
        };
    }

    private static boolean isLegacyOrRex(int b) {
        return b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x66 || b == 0x67 || b == 0x26 || b == 0x2e || b == 0x36
                || b == 0x3e || b == 0x64 || b == 0x65 || (b & 0xf0) == 0x40;
    }

    /** (offset, length) of each instruction objdump finds in {@code blob}, in order. */
    private static List<int[]> objdump(byte[] blob, Path directory) throws IOException, InterruptedException {
        Path file = directory.resolve("random.bin");
        Files.write(file, blob);
        Path out = directory.resolve("listing.txt");
        Process process = new ProcessBuilder("objdump", "-D", "-z", "--insn-width=15", "-b", "binary",
                "-m", "i386:x86-64", file.toString()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "objdump finished");
        assertEquals(0, process.exitValue(), "objdump exit code");
        Pattern line = Pattern.compile("^\\s*([0-9a-f]+):\\t((?:[0-9a-f]{2} )+)");
        List<int[]> instructions = new ArrayList<>();
        for (String text : Files.readAllLines(out)) {
            Matcher m = line.matcher(text);
            if (m.find()) {
                instructions.add(new int[] {Integer.parseInt(m.group(1), 16), m.group(2).length() / 3});
            }
        }
        return instructions;
    }

    private static final int[] PREFIXES = {0xf0, 0xf2, 0xf3, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65, 0x66, 0x67, 0x40,
        0x41, 0x44, 0x48, 0x4c, 0x4f, 0x66, 0x66, 0xf3, 0xf2, 0x4a, 0x45};

    /** Up to three prefixes, then a one-byte, 0F, 0F 38, 0F 3A or VEX opcode, then random bytes. */
    static void randomInstruction(Random random, byte[] out) {
        random.nextBytes(out);
        int n = 0;
        int prefixes = random.nextInt(3) == 0 ? 0 : random.nextInt(4);
        for (int i = 0; i < prefixes; i++) {
            out[n++] = (byte) PREFIXES[random.nextInt(PREFIXES.length)];
        }
        switch (random.nextInt(7)) {
            case 0 -> {
                // a one-byte opcode: already random
            }
            case 1, 2 -> out[n] = 0x0f;
            case 3 -> {
                out[n++] = 0x0f;
                out[n++] = 0x38;
                if (random.nextInt(3) == 0) {
                    out[n] = (byte) (0xf0 | random.nextInt(16));
                }
            }
            case 4 -> {
                out[n++] = 0x0f;
                out[n] = 0x3a;
            }
            case 5 -> out[n] = (byte) 0xc5;
            default -> {
                out[n++] = (byte) 0xc4;
                if (random.nextInt(4) != 0) {
                    out[n] = (byte) ((out[n] & 0xe0) | (1 + random.nextInt(3)));
                    if ((out[n] & 0x1f) == 2 && random.nextInt(3) == 0) {
                        out[n + 2] = (byte) (0xf0 | random.nextInt(16));
                    }
                }
            }
        }
    }
}
