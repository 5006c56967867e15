package dev.nmilab.kdump.vmcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.memory.KernelLayout;
import dev.nmilab.memory.PhysicalMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only touched memory is written: the file grows with what the run touched, not with the machine. */
class TouchedMemoryTest {
    @TempDir
    Path temp;

    @Test
    void aFourGibMachineThatTouchedThreeMibWritesAboutThreeMib() throws Exception {
        Path file = temp.resolve("vmcore");
        try (PhysicalMemory memory = new PhysicalMemory(4L << 30)) {
            byte[] mib = new byte[1 << 20];
            java.util.Arrays.fill(mib, (byte) 0x5a);
            memory.write(0x10_0000L, mib);
            memory.write(0x4000_0000L, mib);
            memory.write(0xf000_0000L, mib);

            VmcoreLayout layout = new VmcoreWriter().write(file, new VmcoreContents(TestVmcores.registers(2),
                    TestVmcores.vmcoreinfo(), TestVmcores.SYMBOLS, memory, 0, 0));

            assertEquals(3, layout.loads().size(), layout.loads().toString());
            assertEquals(3L << 20, layout.memoryBytes());
        }
        long size = Files.size(file);
        assertTrue(size >= 3L << 20 && size < 4L << 20, "file size " + size);
        try (VmcoreReader reader = VmcoreReader.open(file)) {
            assertEquals(0x5a5a5a5a5a5a5a5aL, reader.memory().readLong(KernelLayout.directMap(0xf00f_fff8L)));
        }
    }

    @Test
    void adjacentTouchedPagesMergeIntoOneRun() {
        byte[] residency = {1, 1, 0, 0, 1, 0, 1, 1, 1};

        assertEquals(List.of(new PhysicalRange(0, 0x2000), new PhysicalRange(0x4000, 0x5000),
                new PhysicalRange(0x6000, 0x9000)), PhysicalRange.touched(residency, 100));
    }

    @Test
    void tooManyRunsAreJoinedAcrossTheSmallestGaps() {
        // runs at pages 0, 2, 3-4, 8, 20; gaps of 1, 0 (none), 3, 11 pages
        byte[] residency = new byte[21];
        for (int page : new int[] {0, 2, 3, 4, 8, 20}) {
            residency[page] = 1;
        }

        assertEquals(List.of(new PhysicalRange(0, 0x5000), new PhysicalRange(0x8000, 0x9000),
                new PhysicalRange(0x14000, 0x15000)), PhysicalRange.touched(residency, 3));
        assertEquals(List.of(new PhysicalRange(0, 0x9000), new PhysicalRange(0x14000, 0x15000)),
                PhysicalRange.touched(residency, 2));
    }
}
