package dev.nmilab.x86.decode;

import dev.nmilab.unicorn.EmuStatus;
import dev.nmilab.unicorn.Protection;
import dev.nmilab.unicorn.Unicorn;
import dev.nmilab.unicorn.UnicornContext;
import dev.nmilab.unicorn.X86Reg;
import java.util.Arrays;

/**
 * Runs one instruction at a time in a real Unicorn engine and reports what the engine made of it: the
 * size its code hook reported and whether it raised #UD.
 *
 * <p>The candidate's bytes are followed by ud2 filler, so the translation block holds the candidate
 * and nothing Unicorn could choke on; a hook on every address records the first instruction's size
 * and stops the engine at the second instruction (wherever the first one went). Memory is mapped
 * over the low and the high 4 GiB, so most memory operands (registers hold 0x18000) do not fault and
 * QEMU gets to decide validity; each case starts from the same saved CPU context.
 *
 * <p>Unicorn reports 0xf1f1f1f1 as the size of an instruction it rejected while decoding the opcode;
 * for some rejections (inside gen_sse, LOCK misuse) it reports a size and raises #UD when run, so
 * "valid" here means: a size was reported and the run did not end in #UD.
 */
final class SingleInstructionProbe implements AutoCloseable {
    static final long CODE = 0x100000;
    private static final long LOW = 0;
    private static final long HIGH = 0xffff_ffff_0000_0000L;
    private static final long FOUR_GIB = 1L << 32;
    private static final int INVALID_MARKER = 0xf1f1f1f1;
    private static final int WINDOW = 48;
    private static final int REOPEN_EVERY = 20_000;

    /** What the engine made of one instruction. */
    record Verdict(int size, EmuStatus status) {
        boolean valid() {
            return size != INVALID_MARKER && size > 0 && status != EmuStatus.INSN_INVALID;
        }
    }

    private Unicorn engine;
    private UnicornContext start;
    private int hits;
    private int firstSize;
    private int runs;
    private final byte[] window = new byte[WINDOW];

    SingleInstructionProbe() {
        open();
    }

    private void open() {
        engine = Unicorn.openUncounted();
        engine.memMap(LOW, FOUR_GIB, Protection.ALL);
        engine.memMap(HIGH, FOUR_GIB, Protection.ALL);
        for (X86Reg reg : new X86Reg[] {X86Reg.RAX, X86Reg.RBX, X86Reg.RDX, X86Reg.RSI, X86Reg.RDI, X86Reg.RBP,
            X86Reg.RSP, X86Reg.R8, X86Reg.R9, X86Reg.R10, X86Reg.R11, X86Reg.R12, X86Reg.R13, X86Reg.R14,
            X86Reg.R15}) {
            engine.regWrite(reg, 0x18000);
        }
        engine.regWrite(X86Reg.RCX, 1); // rep and loop run once
        engine.addCodeHook(0, -1L, (address, size) -> {
            if (hits++ == 0) {
                firstSize = size;
            } else {
                engine.emuStop();
            }
        });
        start = engine.saveContext();
    }

    /**
     * Run {@code bytes[offset .. offset + count)} as the first instruction at {@link #CODE}; count is
     * how many bytes of the candidate to place before the ud2 filler (at most 15).
     */
    Verdict run(byte[] bytes, int offset, int count) {
        if (++runs % REOPEN_EVERY == 0) {
            close(); // gives back the pages random stores touched
            open();
        }
        Arrays.fill(window, (byte) 0);
        for (int i = 0; i < WINDOW; i += 2) {
            window[i] = 0x0f;
            window[i + 1] = 0x0b; // ud2
        }
        System.arraycopy(bytes, offset, window, 0, count);
        engine.memWrite(CODE, window);
        engine.restoreContext(start);
        engine.regWrite(X86Reg.RIP, CODE);
        engine.flushTranslations(CODE, CODE + 0xfff);
        hits = 0;
        firstSize = 0;
        EmuStatus status = engine.emuStart(CODE);
        return new Verdict(hits == 0 ? 0 : firstSize, status);
    }

    @Override
    public void close() {
        start.close();
        engine.close();
    }

    /**
     * Encodings that make Unicorn 2.0.1 abort the whole process, so they are never run: the ones
     * {@link EngineAborts#abortsTranslation} lists, and mov to a debug register (enabling a
     * breakpoint through DR7 crashes the engine), which is a valid instruction.
     */
    static boolean abortsTheEngine(byte[] c, int offset, int limit) {
        return abortsWhileTranslating(c, offset, limit) || EngineAborts.writesDebugRegister(c, offset, limit);
    }

    static boolean abortsWhileTranslating(byte[] c, int offset, int limit) {
        return EngineAborts.abortsTranslation(c, offset, limit);
    }
}
