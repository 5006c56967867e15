package dev.nmilab.kdump.vmcore;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One ELF note: namesz, descsz, type, then the NUL-terminated name and the descriptor, each
 * padded to 4 bytes (kernel/crash_core.c: append_elf_note).
 */
public record ElfNote(String name, int type, byte[] desc) {
    private static final int HEADER = 12;

    public ElfNote {
        desc = desc.clone();
    }

    @Override
    public byte[] desc() {
        return desc.clone();
    }

    byte[] encode() {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(size()).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(nameBytes.length + 1).putInt(desc.length).putInt(type);
        out.put(nameBytes).position(HEADER + pad4(nameBytes.length + 1));
        out.put(desc);
        return out.array();
    }

    int size() {
        return HEADER + pad4(name.length() + 1) + pad4(desc.length);
    }

    static byte[] encodeAll(List<ElfNote> notes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        notes.forEach(note -> out.writeBytes(note.encode()));
        return out.toByteArray();
    }

    /**
     * The notes of a PT_NOTE segment's data, as readers walk it: a header with zero sizes and type
     * ends the list (final_note()), as does the end of the data.
     *
     * @throws IllegalArgumentException naming the note's offset in the segment when a size overruns it
     */
    static List<ElfNote> parseAll(byte[] data) {
        List<ElfNote> notes = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (data.length - at >= HEADER) {
            long nameSize = Integer.toUnsignedLong(in.getInt(at));
            long descSize = Integer.toUnsignedLong(in.getInt(at + 4));
            int type = in.getInt(at + 8);
            if (nameSize == 0 && descSize == 0 && type == 0) {
                break;
            }
            long nameEnd = at + HEADER + pad4(nameSize);
            long descEnd = nameEnd + pad4(descSize);
            if (nameEnd > data.length || nameEnd + descSize > data.length) {
                throw new IllegalArgumentException(String.format(
                        "note at offset %d of the PT_NOTE overruns it (namesz %d, descsz %d, segment %d bytes)", at,
                        nameSize, descSize, data.length));
            }
            int nameLength = (int) nameSize;
            while (nameLength > 0 && data[at + HEADER + nameLength - 1] == 0) {
                nameLength--;
            }
            String name = new String(data, at + HEADER, nameLength, StandardCharsets.US_ASCII);
            byte[] desc = Arrays.copyOfRange(data, (int) nameEnd, (int) (nameEnd + descSize));
            notes.add(new ElfNote(name, type, desc));
            at = (int) Math.min(descEnd, data.length);
        }
        return notes;
    }

    private static int pad4(int size) {
        return (size + 3) & ~3;
    }

    private static long pad4(long size) {
        return (size + 3) & ~3L;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ElfNote note && note.name.equals(name) && note.type == type
                && Arrays.equals(note.desc, desc);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + type) * 31 + Arrays.hashCode(desc);
    }

    @Override
    public String toString() {
        return "ElfNote[" + name + ", type " + type + ", " + desc.length + " bytes]";
    }
}
