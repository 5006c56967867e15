package dev.nmilab.x86.decode;

/**
 * Instructions that make Unicorn 2.0.1 abort the whole process instead of raising a guest
 * exception, so nmilab must never let an engine meet them: a JVM cannot survive a native abort.
 * Two kinds:
 * <ul>
 *   <li>encodings its translator gives up on with a fatal error (the hardware raises #UD for all
 *       of them): LOCK CMP or LOCK CMPS with a memory operand, LOCK BT/BTS/BTR/BTC on a
 *       register, far CALL/JMP (FF /3, FF /5) through a register. These must be refused before
 *       the code is loaded;</li>
 *   <li>MOV to a debug register: a DR7 value that enables a breakpoint crashes the engine when
 *       the instruction runs, so it is checked just before (the value is only known then).</li>
 * </ul>
 */
public final class EngineAborts {
    /** DR7's L0-L3 and G0-G3 bits: any of them enables a hardware breakpoint. */
    public static final long DR7_ENABLE_BITS = 0xff;

    private EngineAborts() {
    }

    /** Whether translating the instruction at {@code code[offset]} aborts Unicorn 2.0.1. */
    public static boolean abortsTranslation(byte[] code, int offset, int limit) {
        int p = skipPrefixes(code, offset, limit);
        if (p < 0) {
            return false;
        }
        boolean lock = hasLock(code, offset, p);
        int op = code[p] & 0xff;
        if (lock && (op == 0xa6 || op == 0xa7)) {
            return true; // LOCK CMPS: no ModRM
        }
        if (p + 1 >= limit) {
            return false;
        }
        int next = code[p + 1] & 0xff;
        if (op == 0xff) {
            int reg = (next >> 3) & 7;
            return next >= 0xc0 && (reg == 3 || reg == 5);
        }
        if (!lock) {
            return false;
        }
        if (op == 0x0f) {
            boolean register = p + 2 < limit && (code[p + 2] & 0xff) >= 0xc0;
            return register && (next == 0xa3 || next == 0xab || next == 0xb3 || next == 0xbb || next == 0xba);
        }
        boolean memory = next < 0xc0;
        int reg = (next >> 3) & 7;
        return (memory && op >= 0x38 && op <= 0x3b)
                || (memory && reg == 7 && (op == 0x80 || op == 0x81 || op == 0x83));
    }

    /** Whether the instruction at {@code code[offset]} is MOV to a debug register (0F 23, also VEX-encoded). */
    public static boolean writesDebugRegister(byte[] code, int offset, int limit) {
        int p = skipPrefixes(code, offset, limit);
        if (p < 0 || p + 1 >= limit) {
            return false;
        }
        int op = code[p] & 0xff;
        int next = code[p + 1] & 0xff;
        return switch (op) {
            case 0x0f -> next == 0x23;
            case 0xc5 -> p + 2 < limit && (code[p + 2] & 0xff) == 0x23;
            case 0xc4 -> p + 3 < limit && (next & 0x1f) == 1 && (code[p + 3] & 0xff) == 0x23;
            default -> false;
        };
    }

    /**
     * For a plain (not VEX-encoded) MOV to a debug register: the debug register number in bits
     * 8..11 and the source general register (0 = RAX, 1 = RCX ... 15 = R15, the ModRM order) in
     * bits 0..3; -1 for anything else.
     */
    public static int debugRegisterWrite(byte[] code, int offset, int limit) {
        int p = skipPrefixes(code, offset, limit);
        if (p < 0 || p + 2 >= limit || (code[p] & 0xff) != 0x0f || (code[p + 1] & 0xff) != 0x23) {
            return -1;
        }
        int rex = p > offset && (code[p - 1] & 0xf0) == 0x40 ? code[p - 1] & 0x0f : 0;
        int modrm = code[p + 2] & 0xff;
        int debug = ((modrm >> 3) & 7) | ((rex & 4) << 1);
        int source = (modrm & 7) | ((rex & 1) << 3);
        return debug << 8 | source;
    }

    /** Position of the first byte that is not a legacy or REX prefix, or -1. */
    private static int skipPrefixes(byte[] code, int offset, int limit) {
        for (int p = offset; p < limit; p++) {
            int b = code[p] & 0xff;
            if (!(b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x66 || b == 0x67 || b == 0x26 || b == 0x2e
                    || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65 || (b & 0xf0) == 0x40)) {
                return p;
            }
        }
        return -1;
    }

    private static boolean hasLock(byte[] code, int from, int to) {
        for (int p = from; p < to; p++) {
            if ((code[p] & 0xff) == 0xf0) {
                return true;
            }
        }
        return false;
    }
}
