package dev.nmilab.x86.decode;

import static dev.nmilab.x86.decode.X86Decoder.ADR;
import static dev.nmilab.x86.decode.X86Decoder.FAIL;
import static dev.nmilab.x86.decode.X86Decoder.LOCK;
import static dev.nmilab.x86.decode.X86Decoder.REX_W;
import static dev.nmilab.x86.decode.X86Decoder.has;
import static dev.nmilab.x86.decode.X86Decoder.immediateZ;
import static dev.nmilab.x86.decode.X86Decoder.isRegisterForm;
import static dev.nmilab.x86.decode.X86Decoder.modrmAt;
import static dev.nmilab.x86.decode.X86Decoder.operand;
import static dev.nmilab.x86.decode.X86Decoder.operandAndImmediate;
import static dev.nmilab.x86.decode.X86Decoder.operandSize16;
import static dev.nmilab.x86.decode.X86Decoder.reg;
import static dev.nmilab.x86.decode.X86Decoder.regField;
import static dev.nmilab.x86.decode.X86Decoder.rm;
import static dev.nmilab.x86.decode.X86Decoder.skip;

/** The one-byte opcode map in 64-bit mode, after the prefixes, as QEMU's disas_insn reads it. */
final class OneByteMap {
    private OneByteMap() {
    }

    /** p is just past opcode b; returns the position after the instruction, or FAIL. */
    static int decode(byte[] c, int p, int end, int ctx, int b) {
        if (b < 0x40 && (b & 7) < 6) {
            return arithmetic(c, p, end, ctx, b);
        }
        boolean lock = has(ctx, LOCK);
        switch (b) {
            case 0x0f -> {
                if (p >= end) {
                    return FAIL;
                }
                return TwoByteMap.decode(c, p + 1, end, ctx, c[p] & 0xff);
            }
            // #UD in 64-bit mode: push/pop of segments, BCD, pusha/popa, bound, 82, far call/jmp, into,
            // aam/aad, salc; F1 (icebp) is not built into Unicorn
            case 0x06, 0x07, 0x0e, 0x16, 0x17, 0x1e, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x60, 0x61, 0x62, 0x82, 0x9a,
                 0xce, 0xd4, 0xd5, 0xd6, 0xea, 0xf1 -> {
                return FAIL;
            }
            case 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
                 0x6c, 0x6d, 0x6e, 0x6f, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9b, 0x9c, 0x9d,
                 0x9e, 0x9f, 0xa4, 0xa5, 0xaa, 0xab, 0xac, 0xad, 0xc3, 0xc9, 0xcb, 0xcc, 0xcf, 0xd7,
                 0xec, 0xed, 0xee, 0xef, 0xf4, 0xf5, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd -> {
                return p;
            }
            case 0x90, 0xa6, 0xa7, 0xae, 0xaf -> {
                return lock ? FAIL : p; // LOCK nop/scas is #UD; LOCK CMPS aborts Unicorn 2.0.1 while translating
            }
            case 0x63, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8f, 0xd0, 0xd1, 0xd2, 0xd3 -> {
                return operand(c, p, end);
            }
            case 0x68 -> {
                return skip(p, operandSize16(ctx) ? 2 : 4, end); // push Iz: 16 or 64-bit operand
            }
            case 0x69 -> {
                return operandAndImmediate(c, p, end, immediateZ(ctx));
            }
            case 0x6b, 0xc0, 0xc1 -> {
                return operandAndImmediate(c, p, end, 1);
            }
            case 0x6a, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e,
                 0x7f, 0xa8, 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xcd, 0xe0, 0xe1, 0xe2, 0xe3, 0xe4,
                 0xe5, 0xe6, 0xe7, 0xeb -> {
                return skip(p, 1, end);
            }
            case 0x80, 0x81, 0x83 -> {
                return group1(c, p, end, ctx, b);
            }
            case 0x8c -> {
                int modrm = modrmAt(c, p, end);
                return modrm < 0 || regField(modrm) >= 6 ? FAIL : operand(c, p, end);
            }
            case 0x8d -> {
                int modrm = modrmAt(c, p, end);
                return modrm < 0 || isRegisterForm(modrm) ? FAIL : operand(c, p, end);
            }
            case 0x8e -> {
                int modrm = modrmAt(c, p, end);
                return modrm < 0 || regField(modrm) >= 6 || regField(modrm) == 1 ? FAIL : operand(c, p, end);
            }
            case 0xa0, 0xa1, 0xa2, 0xa3 -> {
                return skip(p, has(ctx, ADR) ? 4 : 8, end); // moffs: 64-bit address, 32-bit with 67
            }
            case 0xa9 -> {
                return skip(p, immediateZ(ctx), end);
            }
            case 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf -> {
                return skip(p, has(ctx, REX_W) ? 8 : immediateZ(ctx), end);
            }
            case 0xc2, 0xca -> {
                return skip(p, 2, end);
            }
            case 0xc6, 0xc7 -> {
                return moveImmediate(c, p, end, ctx, b);
            }
            case 0xc8 -> {
                return skip(p, 3, end);
            }
            case 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf -> {
                return X87.decode(c, p, end, b);
            }
            case 0xe8, 0xe9 -> {
                return skip(p, operandSize16(ctx) ? 2 : 4, end); // QEMU honours 66 for near call/jmp
            }
            case 0xf6, 0xf7 -> {
                return group3(c, p, end, ctx, b);
            }
            case 0xfe, 0xff -> {
                return group45(c, p, end, ctx, b);
            }
            default -> {
                return FAIL; // not reached: every byte that is not a prefix is listed above
            }
        }
    }

    /** 00-05, 08-0D, ..., 38-3D: OP Ev,Gv / OP Gv,Ev / OP AL|eAX,imm. */
    private static int arithmetic(byte[] c, int p, int end, int ctx, int b) {
        int op = (b >>> 3) & 7;
        int form = (b >>> 1) & 3;
        if (form == 2) {
            return has(ctx, LOCK) ? FAIL : skip(p, (b & 1) != 0 ? immediateZ(ctx) : 1, end);
        }
        int modrm = modrmAt(c, p, end);
        if (modrm < 0) {
            return FAIL;
        }
        if (has(ctx, LOCK)) {
            boolean memory = !isRegisterForm(modrm);
            // QEMU turns xor r,r into a constant before it looks at LOCK
            boolean xorZero = !memory && op == 6 && rm(modrm, ctx) == reg(modrm, ctx);
            boolean lockable = memory && form == 0 && op != 7; // LOCK CMP m,r aborts Unicorn 2.0.1
            if (!xorZero && !lockable) {
                return FAIL;
            }
        }
        return operand(c, p, end);
    }

    /** 80, 81, 83: group 1 with an immediate. */
    private static int group1(byte[] c, int p, int end, int ctx, int b) {
        int modrm = modrmAt(c, p, end);
        if (modrm < 0 || (has(ctx, LOCK) && (isRegisterForm(modrm) || regField(modrm) == 7))) {
            return FAIL; // LOCK needs a memory destination; LOCK CMP m,imm aborts Unicorn 2.0.1
        }
        return operandAndImmediate(c, p, end, b == 0x81 ? immediateZ(ctx) : 1);
    }

    /** C6, C7: mov Ev,imm; QEMU checks the reg field with REX.R and also allows reg 7 on registers. */
    private static int moveImmediate(byte[] c, int p, int end, int ctx, int b) {
        int modrm = modrmAt(c, p, end);
        if (modrm < 0) {
            return FAIL;
        }
        int reg = reg(modrm, ctx);
        if (isRegisterForm(modrm) ? reg != 0 && reg != 7 : reg != 0) {
            return FAIL;
        }
        return operandAndImmediate(c, p, end, b == 0xc6 ? 1 : immediateZ(ctx));
    }

    /** F6, F7: test (with an immediate), not, neg, mul, imul, div, idiv; /1 is unknown to QEMU. */
    private static int group3(byte[] c, int p, int end, int ctx, int b) {
        int modrm = modrmAt(c, p, end);
        if (modrm < 0) {
            return FAIL;
        }
        int op = regField(modrm);
        if (op == 1 || (has(ctx, LOCK) && isRegisterForm(modrm) && (op == 2 || op == 3))) {
            return FAIL;
        }
        return operandAndImmediate(c, p, end, op != 0 ? 0 : b == 0xf6 ? 1 : immediateZ(ctx));
    }

    /** FE: inc/dec Eb; FF: inc, dec, call, call far, jmp, jmp far, push. */
    private static int group45(byte[] c, int p, int end, int ctx, int b) {
        int modrm = modrmAt(c, p, end);
        if (modrm < 0) {
            return FAIL;
        }
        int op = regField(modrm);
        boolean register = isRegisterForm(modrm);
        if (op == 7 || (b == 0xfe && op >= 2)) {
            return FAIL;
        }
        if (register && (op == 3 || op == 5)) {
            return FAIL; // far call/jmp through a register: #UD on hardware, aborts Unicorn 2.0.1
        }
        if (register && op <= 1 && has(ctx, LOCK)) {
            return FAIL;
        }
        return operand(c, p, end);
    }
}
