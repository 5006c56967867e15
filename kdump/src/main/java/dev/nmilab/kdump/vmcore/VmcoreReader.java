package dev.nmilab.kdump.vmcore;

import dev.nmilab.memory.GuestMemory;
import dev.nmilab.memory.GuestMemoryException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An x86-64 vmcore opened for reading: its CPUs' registers, VMCOREINFO, nmilab's symbol note, and
 * its memory through the PT_LOADs. Every offset and size is checked against the file before use,
 * so a damaged file gives a {@link VmcoreFormatException} and never an index error. The file is
 * mapped read-only for as long as the reader is open.
 */
public final class VmcoreReader implements AutoCloseable {
    /** Largest PT_NOTE accepted (a 6.1 kernel's notes take a few KiB; 8192 CPUs would take ~3 MiB). */
    private static final long MAX_NOTES = 64L << 20;

    private final Path path;
    private final Arena arena;
    private final MemorySegment file;
    private final List<ProgramHeader> loads;
    private final List<CpuCrashRegisters> cpus;
    private final String vmcoreinfoText;
    private final SequencedMap<String, String> vmcoreinfo;
    private final SortedMap<String, Long> symbols;
    private final TreeMap<Long, ProgramHeader> byVirtual = new TreeMap<>(Long::compareUnsigned);
    private final TreeMap<Long, ProgramHeader> byPhysical = new TreeMap<>(Long::compareUnsigned);

    private VmcoreReader(Path path, Arena arena, MemorySegment file) throws VmcoreFormatException {
        this.path = path;
        this.arena = arena;
        this.file = file;
        List<ProgramHeader> headers = checkHeaders();
        this.loads = headers.stream().filter(ProgramHeader::isLoad).toList();
        List<ElfNote> notes = readNotes(headers);
        List<CpuCrashRegisters> registers = new ArrayList<>();
        String info = null;
        SortedMap<String, Long> symbolMap = Collections.emptySortedMap();
        try {
            for (ElfNote note : notes) {
                if (note.name().equals("CORE") && note.type() == Elf64.NT_PRSTATUS) {
                    if (note.desc().length != ElfPrstatus.SIZE) {
                        throw fail("NT_PRSTATUS note " + registers.size() + " has " + note.desc().length
                                + " bytes, expected " + ElfPrstatus.SIZE + " (x86-64 elf_prstatus)");
                    }
                    registers.add(ElfPrstatus.decode(registers.size(), note.desc()));
                } else if (note.name().equals("VMCOREINFO") && note.type() == Elf64.NT_VMCOREINFO) {
                    info = new String(note.desc(), StandardCharsets.US_ASCII);
                } else if (note.name().equals(SymbolNote.NAME) && note.type() == SymbolNote.TYPE) {
                    symbolMap = SymbolNote.decode(note.desc());
                }
            }
            if (info == null) {
                throw fail("no VMCOREINFO note: not a kernel crash dump");
            }
            this.vmcoreinfo = Vmcoreinfo.parse(info);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
        if (registers.isEmpty()) {
            throw fail("no NT_PRSTATUS note: the dump has no CPU registers");
        }
        this.cpus = List.copyOf(registers);
        this.vmcoreinfoText = info;
        this.symbols = symbolMap;
        for (ProgramHeader load : loads) {
            if (load.filesz() > 0) {
                byVirtual.merge(load.vaddr(), load, VmcoreReader::larger);
                byPhysical.merge(load.paddr(), load, VmcoreReader::larger);
            }
        }
    }

    /** @throws VmcoreFormatException for a file that is not an x86-64 vmcore; IOException when it cannot be read */
    public static VmcoreReader open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new VmcoreReader(path, arena, file);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static ProgramHeader larger(ProgramHeader a, ProgramHeader b) {
        return Long.compareUnsigned(b.filesz(), a.filesz()) > 0 ? b : a;
    }

    private VmcoreFormatException fail(String problem) {
        return new VmcoreFormatException(path, problem);
    }

    // ---- checks, in the order a reader must make them ----

    private List<ProgramHeader> checkHeaders() throws VmcoreFormatException {
        long size = file.byteSize();
        byte[] magic = {0x7f, 'E', 'L', 'F'};
        for (int i = 0; i < magic.length; i++) {
            if (i >= size) {
                throw fail("truncated: " + size + " bytes, an ELF header has " + Elf64.EHDR_SIZE);
            }
            if (file.get(ValueLayout.JAVA_BYTE, i) != magic[i]) {
                throw fail(String.format("not an ELF file (magic 0x%08x expected)", Elf64.MAGIC));
            }
        }
        if (size < Elf64.EHDR_SIZE) {
            throw fail("truncated: " + size + " bytes, an ELF header has " + Elf64.EHDR_SIZE);
        }
        ByteBuffer header = file.asSlice(0, Elf64.EHDR_SIZE).asByteBuffer();
        int data = header.get(5);
        if (data != Elf64.ELFDATA2LSB && data != 2) {
            throw fail("bad EI_DATA " + data + " (1 little-endian or 2 big-endian expected)");
        }
        header.order(data == Elf64.ELFDATA2LSB ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int type = Short.toUnsignedInt(header.getShort(16));
        int machine = Short.toUnsignedInt(header.getShort(18));
        if (type != Elf64.ET_CORE) {
            throw fail(String.format("not a core file: e_type %d (%s), expected %d (CORE)", type,
                    Elf64.typeName(type), Elf64.ET_CORE));
        }
        if (machine != Elf64.EM_X86_64) {
            throw fail(String.format("foreign core: e_machine %d (%s), expected %d (x86-64)", machine,
                    Elf64.machineName(machine), Elf64.EM_X86_64));
        }
        if (header.get(4) != Elf64.ELFCLASS64 || data != Elf64.ELFDATA2LSB) {
            throw fail(String.format("foreign core: EI_CLASS %d, EI_DATA %d, expected 2 (ELF64) and 1 (little-endian)",
                    header.get(4), data));
        }
        long phoff = header.getLong(32);
        int phentsize = Short.toUnsignedInt(header.getShort(54));
        int phnum = Short.toUnsignedInt(header.getShort(56));
        if (phnum == 0) {
            throw fail("no program headers");
        }
        if (phnum == Elf64.PN_XNUM) {
            throw fail("extended program header numbering (e_phnum PN_XNUM) is not supported");
        }
        if (phentsize != Elf64.PHDR_SIZE) {
            throw fail("e_phentsize " + phentsize + ", expected " + Elf64.PHDR_SIZE);
        }
        List<ProgramHeader> headers = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            long at = phoff + (long) i * Elf64.PHDR_SIZE;
            if (!fits(at, Elf64.PHDR_SIZE)) {
                throw fail(String.format(
                        "truncated: program header %d extends past the end of the file (offset %s, size %d; the file has %d bytes)",
                        i, Long.toUnsignedString(at), Elf64.PHDR_SIZE, size));
            }
            headers.add(ProgramHeader.decode(file.asSlice(at, Elf64.PHDR_SIZE).asByteBuffer()));
        }
        for (int i = 0; i < headers.size(); i++) {
            ProgramHeader ph = headers.get(i);
            if ((ph.isLoad() || ph.isNote()) && !fits(ph.offset(), ph.filesz())) {
                throw fail(String.format(
                        "truncated: segment %d (%s at 0x%x) extends past the end of the file (offset %s, size %s; the file has %d bytes)",
                        i, ph.typeName(), ph.isLoad() ? ph.vaddr() : ph.offset(), Long.toUnsignedString(ph.offset()),
                        Long.toUnsignedString(ph.filesz()), size));
            }
        }
        return headers;
    }

    private boolean fits(long offset, long length) {
        long size = file.byteSize();
        return Long.compareUnsigned(offset, size) <= 0 && Long.compareUnsigned(length, size - offset) <= 0;
    }

    private List<ElfNote> readNotes(List<ProgramHeader> headers) throws VmcoreFormatException {
        List<ElfNote> notes = new ArrayList<>();
        for (ProgramHeader ph : headers) {
            if (!ph.isNote()) {
                continue;
            }
            if (ph.filesz() > MAX_NOTES) {
                throw fail("PT_NOTE of " + Long.toUnsignedString(ph.filesz()) + " bytes is larger than " + MAX_NOTES);
            }
            try {
                notes.addAll(ElfNote.parseAll(file.asSlice(ph.offset(), ph.filesz()).toArray(ValueLayout.JAVA_BYTE)));
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
        }
        return notes;
    }

    // ---- what the dump holds ----

    public Path path() {
        return path;
    }

    /** One entry per NT_PRSTATUS note, CPU number = position. */
    public List<CpuCrashRegisters> cpus() {
        return cpus;
    }

    public SequencedMap<String, String> vmcoreinfo() {
        return vmcoreinfo;
    }

    public String vmcoreinfoText() {
        return vmcoreinfoText;
    }

    /** nmilab's symbols from the NMILAB note (empty when the dump has none). */
    public SortedMap<String, Long> symbols() {
        return symbols;
    }

    public List<ProgramHeader> loads() {
        return loads;
    }

    /** True when every byte of [address, address+length) is in the dump (kernel addresses virtual, others physical). */
    public boolean isDumped(long address, long length) {
        return length >= 0 && segmentsCover(address, length, address < 0);
    }

    /**
     * {@code length} bytes at a kernel virtual address (upper half, found by p_vaddr) or a
     * physical one (lower half, found by p_paddr).
     *
     * @throws GuestMemoryException when part of the range is not in the dump
     */
    public byte[] read(long address, int length) {
        byte[] bytes = new byte[length];
        read(address, bytes, 0, length, address < 0);
        return bytes;
    }

    void read(long address, byte[] into, int offset, int length, boolean virtual) {
        int done = 0;
        while (done < length) {
            long at = address + done;
            ProgramHeader segment = segmentOf(at, virtual);
            if (segment == null) {
                throw new GuestMemoryException(address, length, virtual ? "vmcore virtual" : "vmcore physical");
            }
            long delta = at - (virtual ? segment.vaddr() : segment.paddr());
            int chunk = (int) Math.min(length - done, segment.filesz() - delta);
            MemorySegment.copy(file, ValueLayout.JAVA_BYTE, segment.offset() + delta, into, offset + done, chunk);
            done += chunk;
        }
    }

    private boolean segmentsCover(long address, long length, boolean virtual) {
        long done = 0;
        while (done < length) {
            ProgramHeader segment = segmentOf(address + done, virtual);
            if (segment == null) {
                return false;
            }
            done += segment.filesz() - (address + done - (virtual ? segment.vaddr() : segment.paddr()));
        }
        return true;
    }

    private ProgramHeader segmentOf(long address, boolean virtual) {
        TreeMap<Long, ProgramHeader> index = virtual ? byVirtual : byPhysical;
        Map.Entry<Long, ProgramHeader> floor = index.floorEntry(address);
        if (floor != null && holds(floor.getValue(), address, virtual)) {
            return floor.getValue();
        }
        // overlapping segments (the kernel image inside RAM) can hide a holder below the floor
        for (ProgramHeader load : index.headMap(address, true).values()) {
            if (holds(load, address, virtual)) {
                return load;
            }
        }
        return null;
    }

    private static boolean holds(ProgramHeader load, long address, boolean virtual) {
        return virtual ? load.holdsVirtual(address, 1) : load.holdsPhysical(address, 1);
    }

    /** The dump's memory by address: kernel addresses virtual, others physical. Read-only. */
    public GuestMemory memory() {
        return new VmcoreMemory(this, false);
    }

    /** The dump's memory by physical address only (p_paddr), for page-table walks. Read-only. */
    public GuestMemory physical() {
        return new VmcoreMemory(this, true);
    }

    @Override
    public void close() {
        arena.close();
    }
}
