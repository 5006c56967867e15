package dev.nmilab.kdump.vmcore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** One Elf64_Phdr: where a segment sits in the file and which addresses it holds. */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long paddr, long filesz, long memsz,
        long align) {

    /** A PT_LOAD as kexec-tools builds them for the crash kernel's elfcorehdr: RWX, filesz = memsz. */
    static ProgramHeader load(long offset, long vaddr, long paddr, long size) {
        return new ProgramHeader(Elf64.PT_LOAD, Elf64.PF_R | Elf64.PF_W | Elf64.PF_X, offset, vaddr, paddr, size,
                size, 0);
    }

    /** The single PT_NOTE merge_note_headers_elf64() (fs/proc/vmcore.c) leaves: flags 0, align 4. */
    static ProgramHeader note(long offset, long size) {
        return new ProgramHeader(Elf64.PT_NOTE, 0, offset, 0, 0, size, size, 4);
    }

    public boolean isLoad() {
        return type == Elf64.PT_LOAD;
    }

    public boolean isNote() {
        return type == Elf64.PT_NOTE;
    }

    /** True when kernel virtual [address, address+length) lies in this segment's file data. */
    boolean holdsVirtual(long address, long length) {
        return within(address - vaddr, length);
    }

    /** True when physical [address, address+length) lies in this segment's file data. */
    boolean holdsPhysical(long address, long length) {
        return within(address - paddr, length);
    }

    private boolean within(long delta, long length) {
        return Long.compareUnsigned(delta, filesz) < 0 && Long.compareUnsigned(length, filesz - delta) <= 0;
    }

    byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(Elf64.PHDR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(type).putInt(flags).putLong(offset).putLong(vaddr).putLong(paddr).putLong(filesz).putLong(memsz)
                .putLong(align);
        return out.array();
    }

    static ProgramHeader decode(ByteBuffer in) {
        ByteBuffer le = in.slice().order(ByteOrder.LITTLE_ENDIAN);
        return new ProgramHeader(le.getInt(0), le.getInt(4), le.getLong(8), le.getLong(16), le.getLong(24),
                le.getLong(32), le.getLong(40), le.getLong(48));
    }

    String typeName() {
        return switch (type) {
            case Elf64.PT_LOAD -> "PT_LOAD";
            case Elf64.PT_NOTE -> "PT_NOTE";
            default -> String.format("p_type 0x%x", type);
        };
    }
}
