package dev.nmilab.x86.decode;

import static dev.nmilab.x86.decode.X86Decoder.DATA;
import static dev.nmilab.x86.decode.X86Decoder.FAIL;
import static dev.nmilab.x86.decode.X86Decoder.REPNZ;
import static dev.nmilab.x86.decode.X86Decoder.REPZ;
import static dev.nmilab.x86.decode.X86Decoder.VEX;
import static dev.nmilab.x86.decode.X86Decoder.VEX_L;
import static dev.nmilab.x86.decode.X86Decoder.has;
import static dev.nmilab.x86.decode.X86Decoder.isRegisterForm;
import static dev.nmilab.x86.decode.X86Decoder.modrmAt;
import static dev.nmilab.x86.decode.X86Decoder.operand;
import static dev.nmilab.x86.decode.X86Decoder.operandAndImmediate;
import static dev.nmilab.x86.decode.X86Decoder.reg;
import static dev.nmilab.x86.decode.X86Decoder.regField;
import static dev.nmilab.x86.decode.X86Decoder.skip;

/**
 * The MMX/SSE part of the 0F map and the 0F 38 / 0F 3A maps, as QEMU's gen_sse decodes them. The
 * mandatory prefix is QEMU's b1: 66 wins over F3, F3 over F2, whatever their order (0: none, 1: 66,
 * 2: F3, 3: F2); VEX.pp gives the same. VEX.vvvv is ignored; VEX.L=1 is #UD here (but not for emms/femms).
 */
final class SseMaps {
    private static final int NONE = 1;
    private static final int P66 = 2;
    private static final int PF3 = 4;
    private static final int PF2 = 8;
    private static final int ALL = NONE | P66 | PF3 | PF2;
    private static final int MMX_SSE = NONE | P66;

    /** sse_op_table1: for each 0F opcode the b1 values with an entry. */
    private static final int[] FORMS = new int[256];
    /** sse_op_table6 (0F 38 00-EF) and sse_op_table7 (0F 3A): the b1 values (none or 66) with an entry. */
    private static final int[] MAP_38 = new int[256];
    private static final int[] MAP_3A = new int[256];
    /** sse_op_table5: the 3DNow! operations, chosen by the byte after the operand. */
    private static final boolean[] AMD_3DNOW = new boolean[256];

    static {
        set(FORMS, NONE, 0x0e, 0x0f, 0x77);
        set(FORMS, ALL, 0x10, 0x11, 0x12, 0x2a, 0x2b, 0x2c, 0x2d, 0x38, 0x3a, 0x51, 0x58, 0x59, 0x5a, 0x5c, 0x5d,
                0x5e, 0x5f, 0x70, 0xc2);
        set(FORMS, MMX_SSE, 0x13, 0x14, 0x15, 0x17, 0x28, 0x29, 0x2e, 0x2f, 0x50, 0x54, 0x55, 0x56, 0x57, 0x6e,
                0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0xc4, 0xc5, 0xc6, 0xd7, 0xe7);
        setRange(FORMS, MMX_SSE, 0x60, 0x6b);
        setRange(FORMS, MMX_SSE, 0xd1, 0xd5);
        setRange(FORMS, MMX_SSE, 0xd8, 0xe5);
        setRange(FORMS, MMX_SSE, 0xe8, 0xef);
        setRange(FORMS, MMX_SSE, 0xf1, 0xfe);
        set(FORMS, NONE | P66 | PF3, 0x16, 0x5b, 0x6f, 0x7e, 0x7f);
        set(FORMS, NONE | PF3, 0x52, 0x53);
        set(FORMS, P66, 0x6c, 0x6d);
        set(FORMS, P66 | PF2, 0x78, 0x79, 0x7c, 0x7d, 0xd0);
        set(FORMS, P66 | PF3 | PF2, 0xd6, 0xe6);
        set(FORMS, PF2, 0xf0);

        // SSSE3 (also on MMX registers)
        setRange(MAP_38, MMX_SSE, 0x00, 0x0b);
        set(MAP_38, MMX_SSE, 0x1c, 0x1d, 0x1e);
        // SSE4.1, SSE4.2, AES-NI: 66 only
        set(MAP_38, P66, 0x10, 0x14, 0x15, 0x17, 0x28, 0x29, 0x2a, 0x2b, 0x37, 0x40, 0x41);
        setRange(MAP_38, P66, 0x20, 0x25);
        setRange(MAP_38, P66, 0x30, 0x35);
        setRange(MAP_38, P66, 0x38, 0x3f);
        setRange(MAP_38, P66, 0xdb, 0xdf);

        set(MAP_3A, MMX_SSE, 0x0f); // palignr
        setRange(MAP_3A, P66, 0x08, 0x0e);
        setRange(MAP_3A, P66, 0x14, 0x17);
        setRange(MAP_3A, P66, 0x20, 0x22);
        setRange(MAP_3A, P66, 0x40, 0x42);
        setRange(MAP_3A, P66, 0x60, 0x63);
        set(MAP_3A, P66, 0x44, 0xdf);

        for (int op : new int[] {0x0c, 0x0d, 0x1c, 0x1d, 0x8a, 0x8e, 0x90, 0x94, 0x96, 0x97, 0x9a, 0x9e, 0xa0,
            0xa4, 0xa6, 0xa7, 0xaa, 0xae, 0xb0, 0xb4, 0xb6, 0xb7, 0xbb, 0xbf}) {
            AMD_3DNOW[op] = true;
        }
    }

    private SseMaps() {
    }

    private static void set(int[] table, int forms, int... opcodes) {
        for (int opcode : opcodes) {
            table[opcode] = forms;
        }
    }

    private static void setRange(int[] table, int forms, int first, int last) {
        for (int opcode = first; opcode <= last; opcode++) {
            table[opcode] = forms;
        }
    }

    /** The 0F opcodes disas_insn hands to gen_sse. */
    static boolean handles(int b) {
        return (b >= 0x0e && b <= 0x17) || (b >= 0x28 && b <= 0x2f) || (b >= 0x38 && b <= 0x3a)
                || (b >= 0x50 && b <= 0x7f && b != 0x7a && b != 0x7b) || b == 0xc2 || (b >= 0xc4 && b <= 0xc6)
                || (b >= 0xd0 && b <= 0xfe);
    }

    /** p is just past the 0F-map opcode b. */
    static int decode(byte[] c, int p, int end, int ctx, int b) {
        if (b == 0x0e || b == 0x0f) {
            ctx &= ~(REPZ | REPNZ | DATA); // 3DNow! ignores them
        }
        int b1 = has(ctx, DATA) ? 1 : has(ctx, REPZ) ? 2 : has(ctx, REPNZ) ? 3 : 0;
        if ((FORMS[b] & (1 << b1)) == 0) {
            return FAIL;
        }
        if (b == 0x0e || b == 0x77) {
            return p; // femms, emms
        }
        if (has(ctx, VEX_L)) {
            return FAIL; // 256-bit forms: the 2.0.1 engine raises #UD right after reading the ModRM byte
        }
        int modrm = modrmAt(c, p, end);
        if (modrm < 0) {
            return FAIL;
        }
        boolean register = isRegisterForm(modrm);
        switch (b) {
            case 0x13, 0x17, 0x2b, 0xe7, 0xf0 -> {
                // stores (movlps, movhps, movnt*) and lddqu need memory
                return register ? FAIL : operand(c, p, end);
            }
            case 0x50 -> {
                return p + 1; // movmskps/pd: QEMU reads no SIB or displacement
            }
            case 0x71, 0x72, 0x73 -> {
                return shiftImmediate(c, p, end, b, b1, modrm);
            }
            case 0x78 -> {
                // extrq (66, reg 0 only) / insertq (F2) with two immediates, no SIB or displacement read
                return b1 == 1 && reg(modrm, ctx) != 0 ? FAIL : skip(p + 1, 2, end);
            }
            case 0xc4 -> {
                return operandAndImmediate(c, p, end, 1); // pinsrw
            }
            case 0xc5 -> {
                return register ? skip(p + 1, 1, end) : FAIL; // pextrw
            }
            case 0xd6 -> {
                return b1 == 1 ? operand(c, p, end) : p + 1; // movq; movq2dq/movdq2q read no SIB/displacement
            }
            case 0xd7, 0xf7 -> {
                return register ? p + 1 : FAIL; // pmovmskb, maskmovq/dqu
            }
            case 0x38 -> {
                return map38(c, p + 1, end, ctx, b1, modrm);
            }
            case 0x3a -> {
                return map3a(c, p + 1, end, ctx, b1, modrm);
            }
            case 0x70, 0xc6 -> {
                return operandAndImmediate(c, p, end, 1);
            }
            case 0xc2 -> {
                int q = operand(c, p, end);
                return q < 0 || q >= end || (c[q] & 0xff) >= 8 ? FAIL : q + 1; // cmpps predicate 0-7
            }
            case 0x0f -> {
                int q = operand(c, p, end);
                return q < 0 || q >= end || !AMD_3DNOW[c[q] & 0xff] ? FAIL : q + 1;
            }
            default -> {
                return operand(c, p, end);
            }
        }
    }

    /** 0F 71-73 group: the immediate follows the ModRM byte directly, whatever its mod. */
    private static int shiftImmediate(byte[] c, int p, int end, int b, int b1, int modrm) {
        int op = regField(modrm);
        boolean valid = switch (b) {
            case 0x71, 0x72 -> op == 2 || op == 4 || op == 6; // psrl, psra, psll
            default -> op == 2 || op == 6 || (b1 == 1 && (op == 3 || op == 7)); // psrlq, psllq, psrldq, pslldq
        };
        return valid ? skip(p + 1, 1, end) : FAIL;
    }

    /** 0F 38: opcode is the byte at p - 1 (read where gen_sse reads a ModRM); ModRM at p. */
    private static int map38(byte[] c, int p, int end, int ctx, int b1, int opcode) {
        int modrm = modrmAt(c, p, end);
        if (modrm < 0) {
            return FAIL;
        }
        if (opcode < 0xf0 && b1 < 2) {
            if ((MAP_38[opcode] & (1 << b1)) == 0 || (opcode == 0x2a && isRegisterForm(modrm))) {
                return FAIL; // movntdqa needs memory
            }
            return operand(c, p, end);
        }
        boolean bmi = has(ctx, VEX) && !has(ctx, VEX_L);
        boolean valid = switch ((b1 << 8) | opcode) {
            case 0x0f0, 0x0f1, 0x1f0, 0x1f1, 0x3f0, 0x3f1, 0x1f6, 0x2f6 -> true; // movbe, crc32, adcx, adox
            case 0x0f2, 0x0f5, 0x2f5, 0x3f5, 0x3f6, 0x0f7, 0x1f7, 0x2f7, 0x3f7 -> bmi; // andn .. shrx, bextr
            case 0x0f3, 0x1f3, 0x2f3, 0x3f3 -> bmi && regField(modrm) >= 1 && regField(modrm) <= 3; // blsr/msk/i
            default -> false;
        };
        return valid ? operand(c, p, end) : FAIL;
    }

    /** 0F 3A: every form ends in an 8-bit immediate. */
    private static int map3a(byte[] c, int p, int end, int ctx, int b1, int opcode) {
        boolean valid = b1 < 2 ? (MAP_3A[opcode] & (1 << b1)) != 0
                : b1 == 3 && opcode == 0xf0 && has(ctx, VEX) && !has(ctx, VEX_L); // rorx
        return valid ? operandAndImmediate(c, p, end, 1) : FAIL;
    }
}
