package dev.nmilab.kernel.panic;

import dev.nmilab.memory.GuestMemory;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.TreeMap;

/**
 * BUG() sites read from a loaded image's __bug_table (lib/bug.c: find_bug): entries of
 * { s32 bug_addr_disp; s32 file_disp; u16 line; u16 flags; }, pointers relative to the field.
 */
public final class BugTable {
    public static final int ENTRY_SIZE = 12;

    public record BugEntry(long address, String file, int line) {
    }

    private final TreeMap<Long, BugEntry> byAddress = new TreeMap<>(Long::compareUnsigned);

    /** Read the entries between {@code start} and {@code stop} (the linker's __start/__stop symbols). */
    public void load(GuestMemory memory, long start, long stop) {
        for (long entry = start; Long.compareUnsigned(entry + ENTRY_SIZE, stop) <= 0; entry += ENTRY_SIZE) {
            long address = entry + memory.readInt(entry);
            long fileAddress = entry + 4 + memory.readInt(entry + 4);
            int line = Short.toUnsignedInt(memory.readShort(entry + 8));
            byAddress.put(address, new BugEntry(address, readString(memory, fileAddress), line));
        }
    }

    public Optional<BugEntry> find(long address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    public int size() {
        return byAddress.size();
    }

    private static String readString(GuestMemory memory, long address) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            byte b = memory.readByte(address + i);
            if (b == 0) {
                break;
            }
            text.append((char) b);
        }
        return new String(text.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
