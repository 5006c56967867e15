package dev.nmilab.kdump.vmcore;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * nmilab's own note with the machine's symbols, since a vmcore carries no symbol table (crash and
 * gdb take it from vmlinux, which nmilab does not have): name "NMILAB", type 0x4e4d ("NM"), and
 * for a descriptor one {@code "name address"} line per symbol, the address in lowercase hex,
 * sorted by name. Readers that do not know the note skip it.
 */
public final class SymbolNote {
    public static final String NAME = "NMILAB";
    public static final int TYPE = 0x4e4d;

    private SymbolNote() {
    }

    public static ElfNote encode(Map<String, Long> symbols) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(symbols).forEach((name, address) -> {
            if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ')) {
                throw new IllegalArgumentException("symbol name '" + name + "' has blanks");
            }
            text.append(name).append(' ').append(Long.toHexString(address)).append('\n');
        });
        return new ElfNote(NAME, TYPE, text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws IllegalArgumentException naming the line that is not "name hexaddress" */
    public static SortedMap<String, Long> decode(byte[] desc) {
        SortedMap<String, Long> symbols = new TreeMap<>();
        String[] lines = new String(desc, StandardCharsets.US_ASCII).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            String[] fields = lines[i].split(" ");
            try {
                if (fields.length != 2) {
                    throw new NumberFormatException();
                }
                symbols.put(fields[0], Long.parseUnsignedLong(fields[1], 16));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("NMILAB note line " + (i + 1) + " is not 'name address': '"
                        + lines[i] + "'");
            }
        }
        return Collections.unmodifiableSortedMap(symbols);
    }
}
