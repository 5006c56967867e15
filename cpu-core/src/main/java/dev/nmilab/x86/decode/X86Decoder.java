package dev.nmilab.x86.decode;

import java.util.Objects;

/**
 * Instruction lengths in 64-bit mode, exactly as Unicorn 2.0.1 decodes them (QEMU 5.0's TCG front end,
 * target/i386/translate.c, disas_insn and gen_sse), not as an Intel or AMD manual would: the emulator
 * needs the boundaries of the instructions inside a translation block Unicorn reports as (start, size).
 *
 * <p>Where QEMU's reading of the bytes differs from the hardware's, QEMU's wins, for example:
 * <ul>
 *   <li>a REX prefix counts wherever it stands among the prefixes ({@code 48 66 b8} takes an 8-byte
 *       immediate), and the last REX wins;</li>
 *   <li>{@code 66} (without REX.W) shortens the displacement of {@code e8}, {@code e9} and {@code 0f 80..8f}
 *       to 16 bits;</li>
 *   <li>F2/F3/66 select an SSE form with 66 first, then F3, then F2, whatever their order;</li>
 *   <li>C4/C5 are always VEX, and a VEX prefix simply selects the 0F, 0F 38 or 0F 3A map with an implied
 *       66/F3/F2 (so VEX-encoded SSE instructions decode as their legacy forms);</li>
 *   <li>some forms ignore the ModRM mod field and read no SIB or displacement ({@code 0f 20..23},
 *       {@code 0f 71..73}, {@code 0f 50}, {@code f3/f2 0f d6}, {@code 66/f2 0f 78}).</li>
 * </ul>
 *
 * <p>-1 ("unknown") is returned for every encoding QEMU raises #UD or #GP for while decoding: unknown
 * opcodes and ModRM forms, the LOCK misuses it rejects (a register destination, LOCK NOP, LOCK SCAS),
 * VEX.L=1 on SSE and BMI opcodes, and instructions longer than 15 bytes. It is also returned for the
 * encodings that make Unicorn 2.0.1 abort while translating them, which hardware rejects too (LOCK CMP
 * and LOCK CMPS with a memory operand, LOCK BT/BTS/BTR/BTC on a register, FF /3 and FF /5 on a
 * register), and for bytes cut short by the limit. Instructions QEMU accepts only on some CPU models or
 * in some CPU states (3DNow!, MOVBE, POPCNT, XSAVE, SVM, MONITOR, RDRAND, SYSENTER on Intel, ...) get
 * their length as if the feature were there: a wrong positive length is never returned for an
 * instruction QEMU executes. The lengths assume what a kernel runs with: CPL 0 (QEMU reads no ModRM
 * for {@code mov cr/dr} at CPL 3), CR0.EM and CR0.TS clear (else x87/SSE fault before the ModRM is
 * read), CR4.OSFXSR as Unicorn sets it, MPX off.
 *
 * <p>Stateless and allocation-free; safe to call from any thread.
 */
public final class X86Decoder {
    /** QEMU raises #GP for an instruction whose bytes run past this many. */
    static final int MAX_LENGTH = 15;

    static final int FAIL = -1;

    // prefix state, as QEMU's PREFIX_* bits plus what the REX or VEX prefix set
    static final int REPZ = 0x1;
    static final int REPNZ = 0x2;
    static final int LOCK = 0x4;
    static final int DATA = 0x8;
    static final int ADR = 0x10;
    static final int VEX = 0x20;
    static final int REX_W = 0x40;
    static final int REX_R = 0x80;
    static final int REX_B = 0x100;
    static final int REX_SEEN = 0x200;
    static final int VEX_L = 0x400;

    private X86Decoder() {
    }

    /**
     * Length in bytes of the 64-bit-mode instruction starting at code[offset], or -1 when the bytes from
     * offset to limit (exclusive) do not hold a complete instruction this decoder knows (invalid or
     * unsupported encoding, or truncated by limit). Never throws for any input within bounds;
     * offset/limit outside the array -> IndexOutOfBoundsException.
     */
    public static int length(byte[] code, int offset, int limit) {
        Objects.checkFromToIndex(offset, limit, code.length);
        int end = limit - offset > MAX_LENGTH ? offset + MAX_LENGTH : limit;
        int next = decode(code, offset, end);
        return next < 0 ? FAIL : next - offset;
    }

    /**
     * Whether the instruction at code[offset] is a port I/O instruction: IN (E4, E5, EC, ED), OUT (E6, E7,
     * EE, EF), INS (6C, 6D), OUTS (6E, 6F), with any legal prefixes (e.g. 66, F3 rep, REX). False for
     * anything else or when length() would be -1.
     */
    public static boolean isPortIo(byte[] code, int offset, int limit) {
        if (length(code, offset, limit) < 0) {
            return false;
        }
        int p = offset;
        while (isLegacyOrRexPrefix(code[p] & 0xff)) {
            p++; // stays inside the instruction: length() found an opcode after the prefixes
        }
        int opcode = code[p] & 0xff;
        return (opcode >= 0xe4 && opcode <= 0xe7) || (opcode >= 0xec && opcode <= 0xef)
                || (opcode >= 0x6c && opcode <= 0x6f);
    }

    private static boolean isLegacyOrRexPrefix(int b) {
        return switch (b) {
            case 0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67 -> true;
            default -> (b & 0xf0) == 0x40;
        };
    }

    /** Position after the instruction at p, or FAIL; no byte at or past end is read. */
    private static int decode(byte[] c, int p, int end) {
        int ctx = 0;
        while (p < end) {
            int b = c[p++] & 0xff;
            switch (b) {
                case 0xf3 -> ctx |= REPZ;
                case 0xf2 -> ctx |= REPNZ;
                case 0xf0 -> ctx |= LOCK;
                case 0x66 -> ctx |= DATA;
                case 0x67 -> ctx |= ADR;
                case 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65 -> {
                    // segment override: no effect on the length
                }
                case 0xc4, 0xc5 -> {
                    return vex(c, p, end, ctx, b);
                }
                default -> {
                    if ((b & 0xf0) != 0x40) {
                        return OneByteMap.decode(c, p, end, ctx, b);
                    }
                    // REX: QEMU keeps it even when other prefixes follow; a later REX replaces it
                    ctx = (ctx & ~(REX_W | REX_R | REX_B)) | REX_SEEN
                            | ((b & 8) != 0 ? REX_W : 0) | ((b & 4) != 0 ? REX_R : 0) | ((b & 1) != 0 ? REX_B : 0);
                }
            }
        }
        return FAIL;
    }

    /** C4/C5 at p - 1: in 64-bit mode always a VEX prefix. */
    private static int vex(byte[] c, int p, int end, int ctx, int b) {
        if (p >= end) {
            return FAIL;
        }
        int vex2 = c[p++] & 0xff;
        if ((ctx & (REPZ | REPNZ | LOCK | DATA | REX_SEEN)) != 0) {
            return FAIL; // no LOCK, 66, F2, F3 or REX before VEX
        }
        ctx |= (vex2 & 0x80) == 0 ? REX_R : 0;
        int vex3;
        int opcode;
        if (b == 0xc5) {
            vex3 = vex2;
            if (p >= end) {
                return FAIL;
            }
            opcode = c[p++] & 0xff;
        } else {
            ctx |= (vex2 & 0x20) == 0 ? REX_B : 0;
            if (p >= end) {
                return FAIL;
            }
            vex3 = c[p++] & 0xff;
            ctx |= (vex3 & 0x80) != 0 ? REX_W : 0;
            switch (vex2 & 0x1f) {
                case 1 -> {
                    if (p >= end) {
                        return FAIL;
                    }
                    opcode = c[p++] & 0xff;
                }
                case 2 -> opcode = 0x38; // the third opcode byte is still to come, as after 0F 38
                case 3 -> opcode = 0x3a;
                default -> {
                    return FAIL;
                }
            }
        }
        int pp = vex3 & 3;
        ctx |= VEX | (pp == 1 ? DATA : pp == 2 ? REPZ : pp == 3 ? REPNZ : 0) | ((vex3 & 4) != 0 ? VEX_L : 0);
        return TwoByteMap.decode(c, p, end, ctx, opcode);
    }

    // ---- shared operand helpers ----

    /**
     * Position after the ModRM byte at p and its SIB byte and displacement. 64-bit and 32-bit (67)
     * addressing share one layout: SIB when rm is 4, disp32 for mod 0 with (SIB) base 5 (RIP-relative
     * without SIB), disp8 for mod 1, disp32 for mod 2.
     */
    static int operand(byte[] c, int p, int end) {
        if (p >= end) {
            return FAIL;
        }
        int modrm = c[p++] & 0xff;
        int mod = modrm >>> 6;
        if (mod == 3) {
            return p;
        }
        int base = modrm & 7;
        if (base == 4) {
            if (p >= end) {
                return FAIL;
            }
            base = c[p++] & 7;
        }
        int displacement = mod == 1 ? 1 : (mod == 2 || base == 5) ? 4 : 0;
        return skip(p, displacement, end);
    }

    /** An operand followed by an immediate of {@code size} bytes. */
    static int operandAndImmediate(byte[] c, int p, int end, int size) {
        return skip(operand(c, p, end), size, end);
    }

    /** p + n, or FAIL when p already failed or the n bytes run past end. */
    static int skip(int p, int n, int end) {
        return p < 0 || n > end - p ? FAIL : p + n;
    }

    /** The ModRM byte at p, or FAIL when p is at end. */
    static int modrmAt(byte[] c, int p, int end) {
        return p < end ? c[p] & 0xff : FAIL;
    }

    static boolean isRegisterForm(int modrm) {
        return modrm >>> 6 == 3;
    }

    /** The reg field, without REX.R. */
    static int regField(int modrm) {
        return (modrm >>> 3) & 7;
    }

    /** The reg field extended by REX.R (or VEX.R), as QEMU's {@code reg | rex_r}. */
    static int reg(int modrm, int ctx) {
        return regField(modrm) | ((ctx & REX_R) != 0 ? 8 : 0);
    }

    /** The rm field extended by REX.B, as QEMU's {@code rm | REX_B(s)}. */
    static int rm(int modrm, int ctx) {
        return (modrm & 7) | ((ctx & REX_B) != 0 ? 8 : 0);
    }

    /** QEMU's dflag is MO_16: 66 without REX.W. */
    static boolean operandSize16(int ctx) {
        return (ctx & (DATA | REX_W)) == DATA;
    }

    /** Size of an Iz immediate (also of Iv outside B8-BF): 2 with a 16-bit operand size, else 4. */
    static int immediateZ(int ctx) {
        return operandSize16(ctx) ? 2 : 4;
    }

    static boolean has(int ctx, int prefix) {
        return (ctx & prefix) != 0;
    }
}
