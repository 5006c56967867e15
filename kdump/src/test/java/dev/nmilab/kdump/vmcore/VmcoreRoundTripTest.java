package dev.nmilab.kdump.vmcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.memory.GuestMemoryException;
import dev.nmilab.memory.KernelLayout;
import dev.nmilab.memory.PhysicalMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the writer puts in a vmcore, the reader gives back: registers, VMCOREINFO, symbols, memory. */
class VmcoreRoundTripTest {
    @TempDir
    Path temp;

    @Test
    void registersComeBackPerCpuInOrder() throws Exception {
        Path file = TestVmcores.write(temp.resolve("vmcore"), 4);

        try (VmcoreReader reader = VmcoreReader.open(file)) {
            assertEquals(TestVmcores.registers(4), reader.cpus());
            assertEquals(103, reader.cpus().get(3).pid());
            assertEquals(KernelLayout.KERNEL_TEXT + 0x130, reader.cpus().get(3).rip());
        }
    }

    @Test
    void vmcoreinfoAndSymbolsComeBack() throws Exception {
        Path file = TestVmcores.write(temp.resolve("vmcore"), 1);

        try (VmcoreReader reader = VmcoreReader.open(file)) {
            assertEquals(TestVmcores.vmcoreinfo(), reader.vmcoreinfoText());
            assertEquals(Vmcoreinfo.parse(TestVmcores.vmcoreinfo()), reader.vmcoreinfo());
            assertEquals(new java.util.TreeMap<>(TestVmcores.SYMBOLS), reader.symbols());
        }
    }

    @Test
    void memoryReadsThroughVirtualAndPhysicalAddresses() throws Exception {
        Path file = TestVmcores.write(temp.resolve("vmcore"), 1);

        try (PhysicalMemory expected = TestVmcores.memory(); VmcoreReader reader = VmcoreReader.open(file)) {
            long data = TestVmcores.DATA_PHYSICAL + 0x1ff0;
            assertArrayEquals(expected.read(data, 16), reader.read(KernelLayout.directMap(data), 16));
            assertArrayEquals(expected.read(data, 16), reader.read(data, 16));
            assertEquals(0xda7a_0000_0000_0000L | (data + 8), reader.memory().readLong(KernelLayout.directMap(data + 8)));
            // the kernel image is there twice: at __START_KERNEL_map + physical and in the direct map
            long text = TestVmcores.IMAGE_START + 0x1008;
            assertEquals(0xc3c3_0000_0000_0000L | text, reader.memory().readLong(KernelLayout.KERNEL_TEXT + 0x1008));
            assertEquals(0xc3c3_0000_0000_0000L | text, reader.memory().readLong(KernelLayout.directMap(text)));
            assertEquals(0xc3c3_0000_0000_0000L | text, reader.physical().readLong(text));
        }
    }

    @Test
    void untouchedMemoryIsNotInTheDump() throws Exception {
        Path file = TestVmcores.write(temp.resolve("vmcore"), 1);

        try (VmcoreReader reader = VmcoreReader.open(file)) {
            long untouched = KernelLayout.directMap(0x380_0000L);
            assertFalse(reader.isDumped(untouched, 8));
            assertTrue(reader.isDumped(KernelLayout.directMap(TestVmcores.DATA_PHYSICAL), 0x2000));
            assertFalse(reader.isDumped(KernelLayout.directMap(TestVmcores.DATA_PHYSICAL), 0x2001));
            GuestMemoryException e = assertThrows(GuestMemoryException.class, () -> reader.read(untouched, 8));
            assertEquals(untouched, e.address());
            assertThrows(UnsupportedOperationException.class, () -> reader.memory().writeLong(0, 1));
        }
    }

    @Test
    void loadsAreThoseOfProcVmcore() throws Exception {
        Path file = temp.resolve("vmcore");
        VmcoreLayout layout;
        try (PhysicalMemory memory = TestVmcores.memory()) {
            layout = new VmcoreWriter().write(file, TestVmcores.contents(memory, 2));
        }

        List<ProgramHeader> loads = layout.loads();
        assertEquals(new ProgramHeader(1, 7, 0x2000, KernelLayout.KERNEL_TEXT, TestVmcores.IMAGE_START, 0x3000, 0x3000,
                0), loads.getFirst());
        for (ProgramHeader load : loads) {
            assertEquals(0, load.offset() % 4096, "page-aligned data: " + load);
            if (load != loads.getFirst()) {
                assertEquals(KernelLayout.PAGE_OFFSET + load.paddr(), load.vaddr());
            }
        }
        assertEquals(0x1000, layout.noteHeader().offset());
        assertEquals(Files.size(file), layout.fileSize());
        try (VmcoreReader reader = VmcoreReader.open(file)) {
            assertEquals(loads, reader.loads());
        }
    }

    @Test
    void theSameMachineGivesTheSameBytes() throws Exception {
        Path first = TestVmcores.write(temp.resolve("first"), 2);
        Path second = TestVmcores.write(temp.resolve("second"), 2);

        assertEquals(-1, Files.mismatch(first, second));
    }
}
