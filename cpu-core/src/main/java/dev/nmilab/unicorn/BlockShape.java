package dev.nmilab.unicorn;

import dev.nmilab.x86.decode.EngineAborts;
import dev.nmilab.x86.decode.X86Decoder;
import java.util.Arrays;

/** Where the instructions of one translation block start, as the decoder splits its bytes. */
final class BlockShape {
    final long address;
    final int size;
    private final int[] starts;
    private final long[] portIo;
    private final long[] debugWrites;
    private final int[] debugWriteOperands;

    private BlockShape(long address, int size, int[] starts, long[] portIo, long[] debugWrites,
            int[] debugWriteOperands) {
        this.address = address;
        this.size = size;
        this.starts = starts;
        this.portIo = portIo;
        this.debugWrites = debugWrites;
        this.debugWriteOperands = debugWriteOperands;
    }

    /**
     * Split {@code code} (the block's bytes) into instructions. The last one may be one the
     * decoder does not know (an invalid opcode ends a block); null when an earlier one is not
     * known, since the split would then be a guess.
     */
    static BlockShape decode(long address, byte[] code) {
        int[] starts = new int[Math.max(1, code.length)];
        int count = 0;
        int offset = 0;
        long[] portIo = new long[0];
        long[] debugWrites = new long[0];
        int[] debugWriteOperands = new int[0];
        while (offset < code.length) {
            starts[count++] = offset;
            int length = X86Decoder.length(code, offset, code.length);
            if (length <= 0) {
                break; // only acceptable as the block's last instruction: checked by the caller's count
            }
            if (X86Decoder.isPortIo(code, offset, code.length)) {
                portIo = Arrays.copyOf(portIo, portIo.length + 1);
                portIo[portIo.length - 1] = address + offset;
            }
            if (EngineAborts.writesDebugRegister(code, offset, code.length)) {
                debugWrites = Arrays.copyOf(debugWrites, debugWrites.length + 1);
                debugWrites[debugWrites.length - 1] = address + offset;
                debugWriteOperands = Arrays.copyOf(debugWriteOperands, debugWriteOperands.length + 1);
                debugWriteOperands[debugWriteOperands.length - 1] =
                        EngineAborts.debugRegisterWrite(code, offset, code.length);
            }
            offset += length;
        }
        if (offset > code.length) {
            return null;
        }
        return new BlockShape(address, code.length, Arrays.copyOf(starts, count), portIo, debugWrites,
                debugWriteOperands);
    }

    int instructions() {
        return starts.length;
    }

    /** Addresses of the port I/O instructions in this block. */
    long[] portIoAddresses() {
        return portIo;
    }

    /** Addresses of the MOV-to-debug-register instructions in this block (see {@link EngineAborts}). */
    long[] debugWriteAddresses() {
        return debugWrites;
    }

    /** {@link EngineAborts#debugRegisterWrite} of the debug register write at {@code address}, or -2 if none is there. */
    int debugWriteAt(long address) {
        for (int i = 0; i < debugWrites.length; i++) {
            if (debugWrites[i] == address) {
                return debugWriteOperands[i];
            }
        }
        return -2;
    }

    boolean isPortIo(long address) {
        for (long port : portIo) {
            if (port == address) {
                return true;
            }
        }
        return false;
    }

    boolean contains(long rip) {
        return Long.compareUnsigned(rip - address, size) < 0;
    }

    /** Instructions of this block that start before {@code rip} (a RIP inside the block). */
    int instructionsBefore(long rip) {
        int offset = (int) (rip - address);
        int at = Arrays.binarySearch(starts, offset);
        return at >= 0 ? at : -at - 1;
    }

    /** Whether an instruction starts at {@code rip}, anywhere but first in the block. */
    boolean startsInside(long rip) {
        return contains(rip) && rip != address && Arrays.binarySearch(starts, (int) (rip - address)) > 0;
    }

    /** The address of instruction {@code index} (0 = the block's first). */
    long addressOf(int index) {
        return address + starts[index];
    }

    /** Length of instruction {@code index}; the last one runs to the block's end. */
    int lengthOf(int index) {
        return (index + 1 < starts.length ? starts[index + 1] : size) - starts[index];
    }
}
