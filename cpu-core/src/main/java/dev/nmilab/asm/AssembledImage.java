package dev.nmilab.asm;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Objects;

/**
 * A linked stub as one flat run of bytes to copy into guest memory at
 * {@link #loadAddress()}: .text first, then .rodata, .data and a zero-filled
 * .bss, with the gaps between sections zero-filled too.
 */
public final class AssembledImage {

    private final String name;
    private final long loadAddress;
    private final byte[] bytes;
    private final SymbolTable symbols;
    private final List<SpecialInstruction> specialInstructions;

    /**
     * @param name                the source as the user named it, for messages
     * @param specialInstructions sites found in the executable sections, in address order
     */
    public AssembledImage(String name, long loadAddress, byte[] bytes, SymbolTable symbols,
                          List<SpecialInstruction> specialInstructions) {
        this.name = Objects.requireNonNull(name, "name");
        this.loadAddress = loadAddress;
        this.bytes = bytes.clone();
        this.symbols = Objects.requireNonNull(symbols, "symbols");
        this.specialInstructions = ImmutableList.copyOf(specialInstructions);
    }

    public String name() {
        return name;
    }

    public long loadAddress() {
        return loadAddress;
    }

    /** One past the last byte of the image. */
    public long endAddress() {
        return loadAddress + bytes.length;
    }

    public int size() {
        return bytes.length;
    }

    /** A copy of the image; callers may modify it. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** A copy of {@code length} bytes starting at guest address {@code address}. */
    public byte[] bytesAt(long address, int length) {
        long offset = address - loadAddress;
        if (length < 0 || Long.compareUnsigned(offset, bytes.length) > 0 || offset + length > bytes.length) {
            throw new IndexOutOfBoundsException(length + " bytes at 0x" + Long.toHexString(address)
                    + " are not all inside " + name + " [0x" + Long.toHexString(loadAddress)
                    + ", 0x" + Long.toHexString(endAddress()) + ")");
        }
        byte[] slice = new byte[length];
        System.arraycopy(bytes, (int) offset, slice, 0, length);
        return slice;
    }

    public boolean contains(long address) {
        return Long.compareUnsigned(address - loadAddress, bytes.length) < 0;
    }

    public SymbolTable symbols() {
        return symbols;
    }

    /** All special instruction sites, in address order. */
    public List<SpecialInstruction> specialInstructions() {
        return specialInstructions;
    }

    public List<SpecialInstruction> specialInstructions(SpecialInstruction.Kind kind) {
        return specialInstructions.stream().filter(site -> site.kind() == kind).toList();
    }

    @Override
    public String toString() {
        return "AssembledImage[" + name + " at 0x" + Long.toHexString(loadAddress) + ", " + bytes.length + " bytes]";
    }
}
