package dev.nmilab.kdump.vmcore;

import dev.nmilab.memory.KernelLayout;
import dev.nmilab.memory.PhysicalMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where everything goes in the file, as /proc/vmcore presents a crashed 6.1 kernel
 * (fs/proc/vmcore.c: merge_note_headers_elf64, process_ptload_program_headers_elf64):
 *
 * <pre>
 *  0                     ELF header, then the program headers: one PT_NOTE, the PT_LOADs
 *  roundup(.., 4096)     the notes: NT_PRSTATUS per CPU, VMCOREINFO, NMILAB (zero-padded to a page)
 *  roundup(.., 4096)     each PT_LOAD's data in program-header order, every one starting on a page
 * </pre>
 *
 * The PT_LOADs are those of kexec-tools' elfcorehdr: the kernel image at __START_KERNEL_map +
 * physical, then RAM at PAGE_OFFSET + physical, here only its touched runs.
 */
public final class VmcoreLayout {
    /** The most program headers e_phnum can count without extended numbering, less the PT_NOTE. */
    static final int MAX_LOADS = Elf64.PN_XNUM - 2;

    private final byte[] notes;
    private final ProgramHeader noteHeader;
    private final List<ProgramHeader> loads;
    private final long fileSize;

    private VmcoreLayout(byte[] notes, ProgramHeader noteHeader, List<ProgramHeader> loads, long fileSize) {
        this.notes = notes;
        this.noteHeader = noteHeader;
        this.loads = List.copyOf(loads);
        this.fileSize = fileSize;
    }

    static VmcoreLayout plan(VmcoreContents contents) {
        List<ElfNote> noteList = new ArrayList<>();
        for (CpuCrashRegisters cpu : contents.cpus()) {
            noteList.add(new ElfNote("CORE", Elf64.NT_PRSTATUS, ElfPrstatus.encode(cpu)));
        }
        noteList.add(new ElfNote("VMCOREINFO", Elf64.NT_VMCOREINFO,
                contents.vmcoreinfo().getBytes(StandardCharsets.US_ASCII)));
        if (!contents.symbols().isEmpty()) {
            noteList.add(SymbolNote.encode(contents.symbols()));
        }
        byte[] notes = ElfNote.encodeAll(noteList);

        List<PhysicalRange> ranges = new ArrayList<>();
        long imageStart = contents.kernelImageStart() / PhysicalMemory.PAGE_SIZE * PhysicalMemory.PAGE_SIZE;
        long imageEnd = Elf64.alignUp(contents.kernelImageEnd(), PhysicalMemory.PAGE_SIZE);
        boolean hasImage = imageEnd > imageStart;
        if (hasImage) {
            ranges.add(new PhysicalRange(imageStart, imageEnd));
        }
        ranges.addAll(PhysicalRange.touched(contents.memory().touchedPages(), MAX_LOADS - ranges.size()));

        long headersEnd = Elf64.alignUp(Elf64.EHDR_SIZE + (long) Elf64.PHDR_SIZE * (1 + ranges.size()),
                PhysicalMemory.PAGE_SIZE);
        ProgramHeader noteHeader = ProgramHeader.note(headersEnd, notes.length);
        long offset = headersEnd + Elf64.alignUp(notes.length, PhysicalMemory.PAGE_SIZE);
        List<ProgramHeader> loads = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            PhysicalRange range = ranges.get(i);
            long base = hasImage && i == 0 ? KernelLayout.START_KERNEL_MAP : KernelLayout.PAGE_OFFSET;
            loads.add(ProgramHeader.load(offset, base + range.start(), range.start(), range.size()));
            offset += range.size();
        }
        return new VmcoreLayout(notes, noteHeader, loads, offset);
    }

    /** The ELF header and every program header, padded to where the notes start. */
    byte[] headers() {
        int phnum = 1 + loads.size();
        ByteBuffer out = ByteBuffer.allocate((int) noteHeader.offset()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {0x7f, 'E', 'L', 'F', Elf64.ELFCLASS64, Elf64.ELFDATA2LSB, Elf64.EV_CURRENT});
        out.position(16);
        out.putShort((short) Elf64.ET_CORE).putShort((short) Elf64.EM_X86_64).putInt(Elf64.EV_CURRENT);
        out.putLong(0).putLong(Elf64.EHDR_SIZE).putLong(0).putInt(0);
        out.putShort((short) Elf64.EHDR_SIZE).putShort((short) Elf64.PHDR_SIZE).putShort((short) phnum);
        out.putShort((short) 0).putShort((short) 0).putShort((short) 0);
        out.put(noteHeader.encode());
        loads.forEach(load -> out.put(load.encode()));
        return out.array();
    }

    /** The notes, padded to where the first PT_LOAD's data starts. */
    byte[] paddedNotes() {
        byte[] padded = new byte[(int) Elf64.alignUp(notes.length, PhysicalMemory.PAGE_SIZE)];
        System.arraycopy(notes, 0, padded, 0, notes.length);
        return padded;
    }

    public ProgramHeader noteHeader() {
        return noteHeader;
    }

    /** The PT_LOADs in file order: the kernel image mapping first when there is one, then RAM by address. */
    public List<ProgramHeader> loads() {
        return loads;
    }

    /** Bytes of memory the PT_LOADs hold. */
    public long memoryBytes() {
        return loads.stream().mapToLong(ProgramHeader::filesz).sum();
    }

    public long fileSize() {
        return fileSize;
    }
}
