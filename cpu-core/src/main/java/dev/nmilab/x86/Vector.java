package dev.nmilab.x86;

/** Architectural exception vectors (arch/x86/include/asm/trapnr.h) and their delivery classes (SDM vol. 3, 6.15). */
public final class Vector {
    public static final int DE = 0;
    public static final int DB = 1;
    public static final int NMI = 2;
    public static final int BP = 3;
    public static final int OF = 4;
    public static final int BR = 5;
    public static final int UD = 6;
    public static final int NM = 7;
    public static final int DF = 8;
    public static final int TS = 10;
    public static final int NP = 11;
    public static final int SS = 12;
    public static final int GP = 13;
    public static final int PF = 14;
    public static final int MF = 16;
    public static final int AC = 17;
    public static final int MC = 18;
    public static final int XM = 19;
    public static final int FIRST_EXTERNAL = 32;

    private static final String[] NAMES = {
        "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS", "#NP", "#SS", "#GP", "#PF",
        "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
    };

    /** SDM Table 6-4: benign, contributory, page fault, double fault (for the #DF rules of Table 6-5). */
    public enum FaultClass { BENIGN, CONTRIBUTORY, PAGE_FAULT, DOUBLE_FAULT }

    private Vector() {
    }

    public static String name(int vector) {
        if (vector >= 0 && vector < NAMES.length) {
            return NAMES[vector];
        }
        return vector >= FIRST_EXTERNAL ? String.format("IRQ 0x%02x", vector) : "#" + vector;
    }

    /** Vectors whose delivery pushes an error code. */
    public static boolean hasErrorCode(int vector) {
        return switch (vector) {
            case DF, TS, NP, SS, GP, PF, AC, 21, 29, 30 -> true;
            default -> false;
        };
    }

    public static FaultClass faultClass(int vector) {
        return switch (vector) {
            case DE, TS, NP, SS, GP -> FaultClass.CONTRIBUTORY;
            case PF -> FaultClass.PAGE_FAULT;
            case DF -> FaultClass.DOUBLE_FAULT;
            default -> FaultClass.BENIGN;
        };
    }

    /** Whether a fault {@code second} raised while delivering {@code first} becomes #DF (SDM Table 6-5). */
    public static boolean makesDoubleFault(int first, int second) {
        FaultClass a = faultClass(first);
        FaultClass b = faultClass(second);
        if (a == FaultClass.CONTRIBUTORY) {
            return b == FaultClass.CONTRIBUTORY;
        }
        if (a == FaultClass.PAGE_FAULT) {
            return b == FaultClass.CONTRIBUTORY || b == FaultClass.PAGE_FAULT;
        }
        return false;
    }
}
