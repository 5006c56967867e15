package dev.nmilab.x86.decode;

import static dev.nmilab.x86.decode.X86Decoder.DATA;
import static dev.nmilab.x86.decode.X86Decoder.FAIL;
import static dev.nmilab.x86.decode.X86Decoder.LOCK;
import static dev.nmilab.x86.decode.X86Decoder.REPNZ;
import static dev.nmilab.x86.decode.X86Decoder.REPZ;
import static dev.nmilab.x86.decode.X86Decoder.has;
import static dev.nmilab.x86.decode.X86Decoder.isRegisterForm;
import static dev.nmilab.x86.decode.X86Decoder.modrmAt;
import static dev.nmilab.x86.decode.X86Decoder.operand;
import static dev.nmilab.x86.decode.X86Decoder.operandAndImmediate;
import static dev.nmilab.x86.decode.X86Decoder.operandSize16;
import static dev.nmilab.x86.decode.X86Decoder.reg;
import static dev.nmilab.x86.decode.X86Decoder.regField;
import static dev.nmilab.x86.decode.X86Decoder.skip;

/** The 0F map (also reached through VEX), apart from the MMX/SSE opcodes QEMU hands to gen_sse. */
final class TwoByteMap {
    private TwoByteMap() {
    }

    /** p is just past the second opcode byte b (0F b). */
    static int decode(byte[] c, int p, int end, int ctx, int b) {
        boolean lock = has(ctx, LOCK);
        switch (b) {
            // syscall, clts, sysret, invd, wbinvd, wrmsr, rdtsc, rdmsr, rdpmc, sysenter, sysexit,
            // push/pop fs, cpuid, push/pop gs, bswap
            case 0x05, 0x06, 0x07, 0x08, 0x09, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0xa0, 0xa1, 0xa2, 0xa8, 0xa9,
                 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf -> {
                return p;
            }
            case 0x00 -> {
                int modrm = modrmAt(c, p, end);
                return modrm < 0 || regField(modrm) >= 6 ? FAIL : operand(c, p, end);
            }
            case 0x01 -> {
                return group7(c, p, end, ctx);
            }
            // lar, lsl, nop Ev (incl. the MPX opcodes, nops while MPX is off), cmovcc, setcc, shld/shrd cl,
            // imul, movzx, bsf/tzcnt, bsr/lzcnt, movsx, xadd
            case 0x02, 0x03, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46,
                 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96,
                 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa5, 0xad, 0xaf, 0xb6, 0xb7, 0xbc, 0xbd,
                 0xbe, 0xbf, 0xc0, 0xc1 -> {
                return operand(c, p, end);
            }
            case 0x0d -> {
                return memoryOnly(c, p, end); // 3DNow! prefetch
            }
            case 0x18 -> {
                int modrm = modrmAt(c, p, end); // prefetchnta/t0/t1/t2 need memory; /4-/7 are nops
                return modrm < 0 || (regField(modrm) < 4 && isRegisterForm(modrm)) ? FAIL : operand(c, p, end);
            }
            case 0x20, 0x21, 0x22, 0x23 -> {
                return moveControlOrDebug(c, p, end, ctx, b);
            }
            case 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f -> {
                return skip(p, operandSize16(ctx) ? 2 : 4, end);
            }
            case 0xa3, 0xab, 0xb3, 0xbb -> {
                // bt/bts/btr/btc Ev,Gv: LOCK with a register operand aborts Unicorn 2.0.1
                int modrm = modrmAt(c, p, end);
                return modrm < 0 || (lock && isRegisterForm(modrm)) ? FAIL : operand(c, p, end);
            }
            case 0xa4, 0xac -> {
                return operandAndImmediate(c, p, end, 1);
            }
            case 0xae -> {
                return group15(c, p, end, ctx);
            }
            case 0xb0, 0xb1 -> {
                int modrm = modrmAt(c, p, end);
                return modrm < 0 || (lock && isRegisterForm(modrm)) ? FAIL : operand(c, p, end);
            }
            case 0xb2, 0xb4, 0xb5, 0xc3 -> {
                return memoryOnly(c, p, end); // lss, lfs, lgs, movnti
            }
            case 0xb8 -> {
                // popcnt: F3 required, and neither F2 nor LOCK
                return (ctx & (REPZ | REPNZ | LOCK)) == REPZ ? operand(c, p, end) : FAIL;
            }
            case 0xba -> {
                int modrm = modrmAt(c, p, end);
                if (modrm < 0 || regField(modrm) < 4 || (lock && isRegisterForm(modrm))) {
                    return FAIL;
                }
                return operandAndImmediate(c, p, end, 1);
            }
            case 0xc7 -> {
                return group9(c, p, end, ctx);
            }
            default -> {
                if (SseMaps.handles(b)) {
                    return SseMaps.decode(c, p, end, ctx, b);
                }
                // 04, 0A, 0B (ud2), 0C, 24-27, 36, 37, 3B-3F, 7A, 7B, A6, A7, AA (rsm), B9 (ud1), FF (ud0)
                return FAIL;
            }
        }
    }

    private static int memoryOnly(byte[] c, int p, int end) {
        int modrm = modrmAt(c, p, end);
        return modrm < 0 || isRegisterForm(modrm) ? FAIL : operand(c, p, end);
    }

    /**
     * 0F 20-23: QEMU ignores mod and reads no SIB or displacement. Control registers 0, 2, 3, 4 and 8;
     * debug registers 0-7 (REX.R set is #UD).
     */
    private static int moveControlOrDebug(byte[] c, int p, int end, int ctx, int b) {
        int modrm = modrmAt(c, p, end);
        if (modrm < 0) {
            return FAIL;
        }
        int reg = reg(modrm, ctx);
        boolean valid = (b & 1) == 0 ? reg == 0 || reg == 2 || reg == 3 || reg == 4 || reg == 8 : reg < 8;
        return valid ? p + 1 : FAIL;
    }

    /** 0F 01: descriptor tables, smsw/lmsw, invlpg and the register forms QEMU implements. */
    private static int group7(byte[] c, int p, int end, int ctx) {
        int modrm = modrmAt(c, p, end);
        if (modrm < 0) {
            return FAIL;
        }
        if (!isRegisterForm(modrm)) {
            return regField(modrm) == 5 ? FAIL : operand(c, p, end);
        }
        boolean valid = switch (modrm) {
            // monitor, mwait, clac, stac, SVM (vmrun .. invlpga), smsw r, lmsw r, swapgs, rdtscp
            case 0xc8, 0xc9, 0xca, 0xcb, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xe1, 0xe2, 0xe3,
                 0xe4, 0xe5, 0xe6, 0xe7, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9 -> true;
            case 0xd0, 0xd1 -> !has(ctx, LOCK | DATA | REPZ | REPNZ); // xgetbv, xsetbv
            case 0xee, 0xef -> !has(ctx, LOCK); // rdpkru, wrpkru
            default -> false;
        };
        return valid ? p + 1 : FAIL;
    }

    /** 0F AE: fxsave .. clflush on memory, rd/wr fs/gs base, lfence, mfence, sfence. */
    private static int group15(byte[] c, int p, int end, int ctx) {
        int modrm = modrmAt(c, p, end);
        if (modrm < 0) {
            return FAIL;
        }
        boolean lock = has(ctx, LOCK);
        boolean rep = has(ctx, REPZ | REPNZ);
        if (!isRegisterForm(modrm)) {
            boolean valid = switch (regField(modrm)) {
                case 0, 1 -> !lock; // fxsave, fxrstor
                case 2, 3 -> true; // ldmxcsr, stmxcsr
                case 4, 5 -> !lock && !rep && !has(ctx, DATA); // xsave, xrstor
                default -> !lock && (has(ctx, DATA) || !rep); // xsaveopt / clwb, clflush / clflushopt
            };
            return valid ? operand(c, p, end) : FAIL;
        }
        if (modrm < 0xe0) {
            return has(ctx, REPZ) && !lock ? p + 1 : FAIL; // rdfsbase .. wrgsbase
        }
        return modrm >= 0xe8 && !lock ? p + 1 : FAIL; // lfence, mfence, sfence (or pcommit with 66)
    }

    /** 0F C7: cmpxchg8b/16b on memory, rdrand/rdseed on a register. */
    private static int group9(byte[] c, int p, int end, int ctx) {
        int modrm = modrmAt(c, p, end);
        if (modrm < 0) {
            return FAIL;
        }
        return switch (regField(modrm)) {
            case 1 -> isRegisterForm(modrm) ? FAIL : operand(c, p, end);
            case 6, 7 -> isRegisterForm(modrm) && !has(ctx, LOCK | REPZ | REPNZ) ? p + 1 : FAIL;
            default -> FAIL;
        };
    }
}
