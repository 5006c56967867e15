package dev.nmilab.x86.decode;

import static dev.nmilab.x86.decode.X86Decoder.FAIL;
import static dev.nmilab.x86.decode.X86Decoder.isRegisterForm;
import static dev.nmilab.x86.decode.X86Decoder.modrmAt;
import static dev.nmilab.x86.decode.X86Decoder.operand;
import static dev.nmilab.x86.decode.X86Decoder.regField;

/** The x87 escapes D8-DF: which ModRM forms QEMU implements. */
final class X87 {
    /**
     * For each register-form op, (escape & 7) << 3 | reg, the rm values QEMU accepts as a bit mask:
     * 0xff all, 0 none (fnop is D9 /2 rm 0 only, fucompp DA /5 rm 1, fstsw ax DF /4 rm 0, ...).
     */
    private static final int[] REGISTER_FORMS = {
        // D8: fadd fmul fcom fcomp fsub fsubr fdiv fdivr st,st(i)
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        // D9: fld, fxch, fnop, fstp1, fchs/fabs/ftst/fxam, fld1..fldz, f2xm1.., fprem..
        0xff, 0xff, 0x01, 0xff, 0x33, 0x7f, 0xff, 0xff,
        // DA: fcmovb/e/be/u, -, fucompp, -, -
        0xff, 0xff, 0xff, 0xff, 0x00, 0x02, 0x00, 0x00,
        // DB: fcmovnb/ne/nbe/nu, feni/fdisi/fclex/fninit/fsetpm, fucomi, fcomi, -
        0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff, 0x00,
        // DC: fadd .. fdiv st(i),st (incl. fcom2, fcomp3)
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        // DD: ffree, fxch4, fst, fstp, fucom, fucomp, -, -
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00,
        // DE: faddp, fmulp, fcomp5, fcompp, fsubrp, fsubp, fdivrp, fdivp
        0xff, 0xff, 0xff, 0x02, 0xff, 0xff, 0xff, 0xff,
        // DF: ffreep, fxch7, fstp8, fstp9, fnstsw ax, fucomip, fcomip, -
        0xff, 0xff, 0xff, 0xff, 0x01, 0xff, 0xff, 0x00,
    };

    private X87() {
    }

    /** p is just past the escape byte b. */
    static int decode(byte[] c, int p, int end, int b) {
        int modrm = modrmAt(c, p, end);
        if (modrm < 0) {
            return FAIL;
        }
        int op = ((b & 7) << 3) | regField(modrm);
        if (isRegisterForm(modrm)) {
            return (REGISTER_FORMS[op] & (1 << (modrm & 7))) != 0 ? p + 1 : FAIL;
        }
        // memory forms: all but D9 /1, DB /4, DB /6 and DD /5
        return op == 0x09 || op == 0x1c || op == 0x1e || op == 0x2d ? FAIL : operand(c, p, end);
    }
}
