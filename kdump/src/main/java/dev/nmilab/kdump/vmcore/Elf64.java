package dev.nmilab.kdump.vmcore;

/**
 * The ELF64 constants a vmcore uses (include/uapi/linux/elf.h, the gABI "ELF Header",
 * "Program Header" and "Note Section" chapters).
 */
final class Elf64 {
    static final int EHDR_SIZE = 64;
    static final int PHDR_SIZE = 56;
    /** "\x7fELF" read as a big-endian u32, how error messages print it. */
    static final int MAGIC = 0x7f454c46;
    static final int ELFCLASS64 = 2;
    static final int ELFDATA2LSB = 1;
    static final int EV_CURRENT = 1;
    static final int ET_CORE = 4;
    static final int EM_X86_64 = 62;
    /** e_phnum value meaning "the real count is in section header 0" (extended numbering). */
    static final int PN_XNUM = 0xffff;

    static final int PT_LOAD = 1;
    static final int PT_NOTE = 4;
    static final int PF_X = 1;
    static final int PF_W = 2;
    static final int PF_R = 4;

    /** Note types: NT_PRSTATUS in a "CORE" note, 0 for the "VMCOREINFO" note (crash_core.c). */
    static final int NT_PRSTATUS = 1;
    static final int NT_VMCOREINFO = 0;

    private Elf64() {
    }

    static String typeName(int type) {
        return switch (type) {
            case 0 -> "NONE";
            case 1 -> "REL";
            case 2 -> "EXEC";
            case 3 -> "DYN";
            case 4 -> "CORE";
            default -> "unknown";
        };
    }

    /** Names of the e_machine values one is likely to meet, as readelf prints them. */
    static String machineName(int machine) {
        return switch (machine) {
            case 0 -> "none";
            case 3 -> "Intel 80386";
            case 8 -> "MIPS";
            case 20 -> "PowerPC";
            case 21 -> "PowerPC64";
            case 22 -> "IBM S/390";
            case 40 -> "ARM";
            case 62 -> "x86-64";
            case 183 -> "AArch64";
            case 243 -> "RISC-V";
            case 258 -> "LoongArch";
            default -> "unknown";
        };
    }

    static long alignUp(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
