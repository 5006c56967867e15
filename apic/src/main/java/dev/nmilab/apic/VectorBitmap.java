package dev.nmilab.apic;

/**
 * One of the 256-bit vector registers (IRR, ISR, TMR): bit {@code v} stands for vector
 * {@code v}; software reads it as eight 32-bit words 16 bytes apart (SDM vol. 3, 11.8.4).
 */
final class VectorBitmap {
    private final long[] bits = new long[4];

    void set(int vector) {
        bits[vector >> 6] |= 1L << (vector & 63);
    }

    void clear(int vector) {
        bits[vector >> 6] &= ~(1L << (vector & 63));
    }

    boolean test(int vector) {
        return (bits[vector >> 6] & (1L << (vector & 63))) != 0;
    }

    /** The highest vector set, or -1 when none is. */
    int highest() {
        for (int i = bits.length - 1; i >= 0; i--) {
            if (bits[i] != 0) {
                return i * 64 + 63 - Long.numberOfLeadingZeros(bits[i]);
            }
        }
        return -1;
    }

    boolean isEmpty() {
        return highest() < 0;
    }

    /** Word {@code index} (0..7) as the register at base + 0x10 * index reads. */
    int word(int index) {
        return (int) (bits[index >> 1] >>> (32 * (index & 1)));
    }

    void clearAll() {
        java.util.Arrays.fill(bits, 0);
    }
}
