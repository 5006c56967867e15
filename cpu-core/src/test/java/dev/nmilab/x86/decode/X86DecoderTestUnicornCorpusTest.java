package dev.nmilab.x86.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.asm.AssembledImage;
import dev.nmilab.asm.Assembler;
import dev.nmilab.asm.AssemblyException;
import dev.nmilab.unicorn.EmuStatus;
import dev.nmilab.unicorn.Protection;
import dev.nmilab.unicorn.Unicorn;
import dev.nmilab.unicorn.UnicornContext;
import dev.nmilab.unicorn.X86Reg;
import dev.nmilab.x86.decode.InstructionCorpus.Expect;
import dev.nmilab.x86.decode.InstructionCorpus.Snippet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A corpus assembled by GNU as and run in Unicorn: for every instruction the engine's code hook reports,
 * the decoder must give the reported size, and it must also match the length the assembler emitted
 * (labels around every instruction). The straight-line part must run through to its hlt with every
 * instruction executed; each snippet runs on its own so that its last instruction may fault, leave,
 * switch modes, or be rejected.
 */
class X86DecoderTestUnicornCorpusTest {
    private static final long TEXT = 0x1000000; // below it: 16 MiB of data memory (not executable)
    private static final long STACK_TOP = 0xff0000;
    private static final int INVALID_MARKER = 0xf1f1f1f1;
    private static final HexFormat HEX = HexFormat.of();

    private static AssembledImage image;
    private static List<String> straightLine;
    private static List<Snippet> snippets;
    private static Unicorn engine;
    private static UnicornContext start;
    private static final Map<Long, Integer> events = new LinkedHashMap<>();

    @BeforeAll
    static void assembleAndLoad() throws AssemblyException {
        straightLine = InstructionCorpus.straightLine();
        snippets = InstructionCorpus.snippets();
        image = new Assembler().assemble("decoder_corpus.S", source(), TEXT, List.of());
        engine = Unicorn.openUncounted();
        engine.memMap(0, TEXT, Protection.READ | Protection.WRITE);
        engine.memMap(TEXT, (image.size() + 0xfffL) & ~0xfffL, Protection.ALL);
        engine.memWrite(TEXT, image.bytes());
        for (X86Reg reg : new X86Reg[] {X86Reg.RAX, X86Reg.RBX, X86Reg.RCX, X86Reg.RDX, X86Reg.RSI, X86Reg.RDI,
            X86Reg.RBP, X86Reg.R8, X86Reg.R9, X86Reg.R10, X86Reg.R11, X86Reg.R12, X86Reg.R13, X86Reg.R14,
            X86Reg.R15}) {
            engine.regWrite(reg, InstructionCorpus.V);
        }
        engine.regWrite(X86Reg.RSP, STACK_TOP);
        engine.addCodeHook(TEXT, TEXT + image.size() - 1, (address, size) -> events.putIfAbsent(address, size));
        start = engine.saveContext();
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            start.close();
            engine.close();
        }
    }

    /** Every line gets a label: I<n> on the straight line, S<k>_<n> in snippet k, T<k> on the hlt after it. */
    private static String source() {
        StringBuilder s = new StringBuilder(".text\n");
        for (int i = 0; i < straightLine.size(); i++) {
            String line = straightLine.get(i);
            for (int ahead = 1; ahead <= 4; ahead++) {
                line = line.replace("@NEXT" + ahead, "I" + (i + ahead));
            }
            s.append("I").append(i).append(": ").append(line).append('\n');
        }
        for (int k = 0; k < snippets.size(); k++) {
            Snippet snippet = snippets.get(k);
            List<String> lines = new ArrayList<>(snippet.prelude());
            lines.add(snippet.last());
            for (int n = 0; n < lines.size(); n++) {
                s.append("S").append(k).append('_').append(n).append(": ").append(lines.get(n)).append('\n');
            }
            s.append("T").append(k).append(": hlt\n");
        }
        s.append("corpus_end: nop\n.data\n.balign 4096\ndata_area: .fill 8192, 1, 0x11\n");
        return s.toString();
    }

    private static long address(String label) {
        return image.symbols().requireAddress(label);
    }

    private static byte[] bytesAt(long address) {
        long available = image.endAddress() - address;
        return image.bytesAt(address, (int) Math.min(X86Decoder.MAX_LENGTH, available));
    }

    private static int decoded(long address) {
        byte[] bytes = bytesAt(address);
        return X86Decoder.length(bytes, 0, bytes.length);
    }

    private static EmuStatus run(long from) {
        events.clear();
        engine.restoreContext(start);
        return engine.emuStart(from);
    }

    private static String describe(String line, long address) {
        return "'" + line + "' at 0x" + Long.toHexString(address) + " (" + HEX.formatHex(bytesAt(address)) + ")";
    }

    @Test
    void theStraightLineRunsToItsEndAndEveryInstructionHasUnicornsSize() {
        EmuStatus status = run(address("I0"));
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < straightLine.size(); i++) {
            long at = address("I" + i);
            long next = i + 1 < straightLine.size() ? address("I" + (i + 1)) : address("S0_0");
            String what = describe(straightLine.get(i), at);
            Integer reported = events.get(at);
            int decoded = decoded(at);
            if (reported == null) {
                problems.add(what + ": not executed");
            } else if (reported != decoded) {
                problems.add(what + ": Unicorn " + reported + ", decoder " + decoded);
            }
            if (decoded != next - at) {
                problems.add(what + ": assembled " + (next - at) + ", decoder " + decoded);
            }
        }
        assertEquals(List.of(), problems.stream().limit(30).toList(), problems.size() + " problems");
        assertEquals(EmuStatus.OK, status, "ran into the final hlt");
        System.out.println("straight-line corpus: " + straightLine.size() + " instructions, "
                + events.size() + " reported by the code hook, 0 mismatches");
        assertTrue(straightLine.size() > 1500, "corpus size " + straightLine.size());
    }

    @Test
    void eachSnippetsInstructionsHaveUnicornsSizeAndTheLastIsJudgedByItsExpectation() {
        List<String> problems = new ArrayList<>();
        int accepted = 0;
        int gatedRejected = 0;
        int rejected = 0;
        for (int k = 0; k < snippets.size(); k++) {
            Snippet snippet = snippets.get(k);
            EmuStatus status = run(address("S" + k + "_0"));
            List<String> lines = new ArrayList<>(snippet.prelude());
            lines.add(snippet.last());
            for (int n = 0; n < lines.size(); n++) {
                long at = address("S" + k + "_" + n);
                long next = n + 1 < lines.size() ? address("S" + k + "_" + (n + 1)) : address("T" + k);
                int assembled = (int) (next - at);
                int decoded = decoded(at);
                String what = describe(lines.get(n), at);
                Integer reported = events.get(at);
                if (reported == null) {
                    problems.add(what + ": not reached (" + status + ")");
                    break;
                }
                boolean last = n == lines.size() - 1;
                boolean engineAccepts = reported != INVALID_MARKER && !(last && status == EmuStatus.INSN_INVALID);
                Expect expect = last ? snippet.expect() : Expect.RUNS;
                switch (expect) {
                    case RUNS -> {
                        if (!engineAccepts || reported != decoded || decoded != assembled) {
                            problems.add(what + ": Unicorn " + reported + " " + status + ", decoder " + decoded
                                    + ", assembled " + assembled);
                        }
                    }
                    case MODEL_GATED -> {
                        boolean ok = engineAccepts ? reported == decoded && decoded == assembled : decoded == assembled;
                        if (!ok) {
                            problems.add(what + ": Unicorn " + reported + " " + status + ", decoder " + decoded
                                    + ", assembled " + assembled);
                        }
                        if (!engineAccepts) {
                            gatedRejected++;
                        }
                    }
                    case INVALID -> {
                        if (engineAccepts || decoded != -1) {
                            problems.add(what + ": expected #UD; Unicorn " + reported + " " + status + ", decoder "
                                    + decoded);
                        }
                        rejected++;
                    }
                }
                if (expect != Expect.INVALID && engineAccepts) {
                    accepted++;
                }
            }
        }
        assertEquals(List.of(), problems.stream().limit(30).toList(), problems.size() + " problems");
        System.out.println("snippets: " + snippets.size() + ", " + accepted + " instructions accepted with Unicorn's size, "
                + gatedRejected + " rejected by this CPU model with the assembler's length, " + rejected
                + " rejected as QEMU always does, 0 mismatches");
        assertTrue(rejected > 100 && gatedRejected > 10, "both kinds of rejection are exercised");
    }

    @Test
    void portIoIsRecognisedExactlyWhereTheCorpusDoesPortIo() {
        int found = 0;
        for (int i = 0; i < straightLine.size(); i++) {
            String line = straightLine.get(i).strip();
            boolean io = line.matches("(rep )?(in|out|ins[bwl]|outs[bwl])( .*)?")
                    || line.startsWith(".byte 0x48, 0xe5") || line.startsWith(".byte 0x66, 0x48, 0xef")
                    || line.startsWith(".byte 0xf3, 0x66, 0x6d");
            byte[] bytes = bytesAt(address("I" + i));
            assertEquals(io, X86Decoder.isPortIo(bytes, 0, bytes.length), line);
            found += io ? 1 : 0;
        }
        assertEquals(24, found, "port I/O lines in the corpus");
    }
}
