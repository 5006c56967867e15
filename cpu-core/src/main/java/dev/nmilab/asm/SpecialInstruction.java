package dev.nmilab.asm;

import java.util.Objects;

/**
 * One instruction the emulator must treat specially, found by disassembling
 * the image: the IRET family ends NMI blocking, hlt and the interrupt-flag
 * instructions change how events are delivered, ud2 and int3 raise
 * exceptions. Knowing their addresses up front lets the emulator hook those
 * few addresses instead of every instruction.
 *
 * @param kind    which instruction
 * @param address guest address of its first byte (prefixes included)
 * @param length  encoded length in bytes
 */
public record SpecialInstruction(Kind kind, long address, int length) {

    public enum Kind {
        /** 64-bit interrupt return (REX.W + CF). */
        IRETQ,
        /** 32- or 16-bit interrupt return (CF, 66 CF): still ends NMI blocking. */
        IRET,
        HLT,
        STI,
        CLI,
        /** popf in any operand size: may set IF. */
        POPF,
        UD2,
        INT3
    }

    public SpecialInstruction {
        Objects.requireNonNull(kind, "kind");
        if (length < 1 || length > 15) {
            throw new IllegalArgumentException("x86 instruction length must be 1..15, was " + length);
        }
    }

    /** The address of the instruction that follows this one. */
    public long nextAddress() {
        return address + length;
    }

    @Override
    public String toString() {
        return kind + "@0x" + Long.toHexString(address) + "/" + length;
    }
}
