package dev.nmilab.asm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a statically linked ELF64 x86-64 executable into a flat image and its
 * symbol table, from the section headers (ELF gABI, "Sections" and "Symbol
 * Table"). Program headers are ignored: the sections are what the linker
 * script placed, and a flat copy of them is what the emulator maps.
 *
 * Every offset and size read from the file is checked against the file
 * before use, so a damaged file gives an {@link ElfFormatException} rather
 * than an index error.
 */
final class ElfImageReader {

    /** Largest flat image accepted: the span from the first to the last allocated byte. */
    static final int MAX_IMAGE_BYTES = 64 << 20;

    private static final int EM_X86_64 = 62;
    private static final int ET_EXEC = 2;
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_NOBITS = 8;
    private static final long SHF_ALLOC = 0x2;
    private static final int SECTION_HEADER_SIZE = 64;
    private static final int SYMBOL_SIZE = 24;
    private static final int SHN_UNDEF = 0;
    private static final int SHN_LORESERVE = 0xff00;
    private static final int SHN_ABS = 0xfff1;
    private static final int STT_SECTION = 3;
    private static final int STT_FILE = 4;
    private static final int STB_GLOBAL = 1;
    private static final int STB_WEAK = 2;

    /** What the reader extracts: the bytes to load, where, and the labels in them. */
    record LinkedImage(long loadAddress, byte[] bytes, SymbolTable symbols) {
    }

    private record Section(String name, int type, long flags, long address, long offset, long size,
                           int link) {
        boolean isAllocated() {
            return (flags & SHF_ALLOC) != 0 && size > 0;
        }

        long end() {
            return address + size;
        }
    }

    private final String name;
    private final ByteBuffer elf;

    private ElfImageReader(String name, byte[] elf) {
        this.name = name;
        this.elf = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param name how to name the file in error messages
     * @param elf  the whole file
     */
    static LinkedImage read(String name, byte[] elf) throws ElfFormatException {
        return new ElfImageReader(name, elf).read();
    }

    private LinkedImage read() throws ElfFormatException {
        checkIdentification();
        List<Section> sections = readSectionHeaders();
        List<Section> allocated = sections.stream().filter(Section::isAllocated).toList();
        if (allocated.isEmpty()) {
            throw fail("has no loadable sections (the source assembled to nothing)");
        }
        long start = allocated.getFirst().address();
        long end = allocated.getFirst().end();
        for (Section section : allocated) {
            if (Long.compareUnsigned(section.end(), section.address()) < 0) {
                throw fail("section " + section.name() + " wraps around the end of the address space");
            }
            start = Long.compareUnsigned(section.address(), start) < 0 ? section.address() : start;
            end = Long.compareUnsigned(section.end(), end) > 0 ? section.end() : end;
        }
        long span = end - start;
        if (Long.compareUnsigned(span, MAX_IMAGE_BYTES) > 0) {
            throw fail("image spans " + Long.toUnsignedString(span) + " bytes from 0x" + Long.toHexString(start)
                    + ", more than the limit of " + MAX_IMAGE_BYTES + " bytes");
        }
        byte[] image = new byte[(int) span];
        for (Section section : allocated) {
            if (section.type() != SHT_NOBITS) {
                int from = slice(section.offset(), section.size(), "section " + section.name());
                elf.get(from, image, (int) (section.address() - start), (int) section.size());
            }
        }
        return new LinkedImage(start, image, readSymbols(sections, start, span));
    }

    private void checkIdentification() throws ElfFormatException {
        if (elf.capacity() < 64 || elf.getInt(0) != 0x464c457f) {
            throw fail("not an ELF file (no \\x7fELF magic)");
        }
        if (elf.get(4) != 2) {
            throw fail("not ELF64 (EI_CLASS " + elf.get(4) + ")");
        }
        if (elf.get(5) != 1) {
            throw fail("not little-endian (EI_DATA " + elf.get(5) + ")");
        }
        int machine = Short.toUnsignedInt(elf.getShort(18));
        if (machine != EM_X86_64) {
            throw fail("machine " + machine + " is not x86-64 (" + EM_X86_64 + ")");
        }
        int type = Short.toUnsignedInt(elf.getShort(16));
        if (type != ET_EXEC) {
            throw fail("ELF type " + type + " is not a linked executable (ET_EXEC)");
        }
    }

    private List<Section> readSectionHeaders() throws ElfFormatException {
        long headerOffset = elf.getLong(0x28);
        int entrySize = Short.toUnsignedInt(elf.getShort(0x3a));
        int count = Short.toUnsignedInt(elf.getShort(0x3c));
        int namesIndex = Short.toUnsignedInt(elf.getShort(0x3e));
        if (count == 0) {
            throw fail("has no section headers");
        }
        if (entrySize != SECTION_HEADER_SIZE) {
            throw fail("section header size " + entrySize + " is not " + SECTION_HEADER_SIZE);
        }
        int table = slice(headerOffset, (long) count * SECTION_HEADER_SIZE, "section header table");
        if (namesIndex >= count) {
            throw fail("section name table index " + namesIndex + " is out of range");
        }
        int namesBase = table + namesIndex * SECTION_HEADER_SIZE;
        long namesOffset = elf.getLong(namesBase + 24);
        long namesSize = elf.getLong(namesBase + 32);
        int names = slice(namesOffset, namesSize, "section name table");
        List<Section> sections = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            int at = table + index * SECTION_HEADER_SIZE;
            String sectionName = string(names, namesSize, Integer.toUnsignedLong(elf.getInt(at)));
            sections.add(new Section(sectionName, elf.getInt(at + 4), elf.getLong(at + 8),
                    elf.getLong(at + 16), elf.getLong(at + 24), elf.getLong(at + 32), elf.getInt(at + 40)));
        }
        return sections;
    }

    private SymbolTable readSymbols(List<Section> sections, long start, long span) throws ElfFormatException {
        List<Symbol> symbols = new ArrayList<>();
        Map<String, Long> constants = new TreeMap<>();
        for (Section table : sections) {
            if (table.type() != SHT_SYMTAB) {
                continue;
            }
            if (table.link() < 0 || table.link() >= sections.size()) {
                throw fail("symbol table " + table.name() + " links to missing section " + table.link());
            }
            Section strings = sections.get(table.link());
            int stringsAt = slice(strings.offset(), strings.size(), "string table " + strings.name());
            int entries = slice(table.offset(), table.size(), "symbol table " + table.name());
            for (long at = entries; at + SYMBOL_SIZE <= entries + table.size(); at += SYMBOL_SIZE) {
                int entry = (int) at;
                String symbolName = string(stringsAt, strings.size(), Integer.toUnsignedLong(elf.getInt(entry)));
                int info = Byte.toUnsignedInt(elf.get(entry + 4));
                int sectionIndex = Short.toUnsignedInt(elf.getShort(entry + 6));
                long value = elf.getLong(entry + 8);
                long size = elf.getLong(entry + 16);
                int type = info & 0xf;
                if (symbolName.isEmpty() || symbolName.startsWith(".L") || type == STT_SECTION || type == STT_FILE) {
                    continue;
                }
                if (sectionIndex == SHN_ABS) {
                    constants.putIfAbsent(symbolName, value);
                } else if (sectionIndex != SHN_UNDEF && sectionIndex < SHN_LORESERVE
                        && sectionIndex < sections.size() && (sections.get(sectionIndex).flags() & SHF_ALLOC) != 0
                        && Long.compareUnsigned(value - start, span) <= 0) {
                    // Any allocated section counts, even an empty one: a label such as
                    // data_start in a section left empty still names an address in the image.
                    symbols.add(new Symbol(symbolName, value, size, binding(info >> 4)));
                }
            }
        }
        return new SymbolTable(start, span, symbols, constants);
    }

    private static Symbol.Binding binding(int elfBinding) {
        return switch (elfBinding) {
            case STB_GLOBAL -> Symbol.Binding.GLOBAL;
            case STB_WEAK -> Symbol.Binding.WEAK;
            default -> Symbol.Binding.LOCAL;
        };
    }

    /** Checks that [offset, offset + length) lies in the file and returns offset as an index. */
    private int slice(long offset, long length, String what) throws ElfFormatException {
        if (offset < 0 || length < 0 || offset > elf.capacity() || length > elf.capacity() - offset) {
            throw fail(what + " (offset " + Long.toUnsignedString(offset) + ", " + Long.toUnsignedString(length)
                    + " bytes) lies beyond the end of the file (" + elf.capacity() + " bytes); truncated?");
        }
        return (int) offset;
    }

    /** A NUL-terminated string at {@code index} in the string table at {@code tableAt}. */
    private String string(int tableAt, long tableSize, long index) throws ElfFormatException {
        if (index >= tableSize) {
            throw fail("string index " + index + " is beyond its table of " + tableSize + " bytes");
        }
        int from = tableAt + (int) index;
        int limit = tableAt + (int) tableSize;
        int nul = from;
        while (nul < limit && elf.get(nul) != 0) {
            nul++;
        }
        byte[] text = new byte[nul - from];
        elf.get(from, text);
        return new String(text, StandardCharsets.UTF_8);
    }

    private ElfFormatException fail(String problem) {
        return new ElfFormatException(name + ": " + problem);
    }
}
