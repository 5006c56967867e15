package dev.nmilab.kdump.vmcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.memory.KernelLayout;
import dev.nmilab.memory.PhysicalMemory;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KernelPageTables builds real 4-level tables; PageWalk translates through them as the MMU would. */
class PageWalkTest {
    private static final long SIZE = (3L << 30) + (6L << 20);
    private static final long TABLES = 0x10_0000L;
    private static final long VMALLOC_PAGE = KernelLayout.VMALLOC_START + 0x5000;

    @TempDir
    Path temp;

    private PhysicalMemory memory;
    private KernelPageTables tables;

    @BeforeEach
    void buildTables() {
        memory = new PhysicalMemory(SIZE);
        tables = new KernelPageTables(memory, TABLES, TABLES + 0x10_0000)
                .mapDirectMap(SIZE)
                .mapKernelImage(16L << 20, 21L << 20)
                .map4k(VMALLOC_PAGE, 0x312_3000L, KernelPageTables.PAGE_KERNEL);
    }

    @AfterEach
    void release() {
        memory.close();
    }

    private PageWalk.Mapped mapped(long virtual) {
        return assertInstanceOf(PageWalk.Mapped.class, PageWalk.vtop(memory, tables.pgd(), virtual));
    }

    private String notMapped(long virtual) {
        return assertInstanceOf(PageWalk.NotMapped.class, PageWalk.vtop(memory, tables.pgd(), virtual)).reason();
    }

    @Test
    void directMapUsesGibPagesWhereAligned() {
        PageWalk.Mapped walk = mapped(KernelLayout.PAGE_OFFSET + 0x8000_1234L);

        assertEquals(0x8000_1234L, walk.physical());
        assertEquals(PageTableLevel.PDPT, walk.level());
        assertEquals(1L << 30, walk.pageSize());
        assertEquals(2, walk.steps().size());
        assertEquals(TABLES + 8 * 273, walk.steps().getFirst().entryAddress(), "PAGE_OFFSET is PML4 slot 273");
        assertEquals(0x8000_0000L | KernelPageTables.PAGE_KERNEL | KernelPageTables.PSE, walk.steps().getLast().entry());
    }

    @Test
    void directMapTailUsesTwoMibPages() {
        PageWalk.Mapped walk = mapped(KernelLayout.PAGE_OFFSET + 0xc020_0010L);

        assertEquals(0xc020_0010L, walk.physical());
        assertEquals(PageTableLevel.PD, walk.level());
        assertEquals(2L << 20, walk.pageSize());
    }

    @Test
    void kernelImageUsesTwoMibPages() {
        PageWalk.Mapped walk = mapped(KernelLayout.KERNEL_TEXT + 0x40_0abcL);

        assertEquals(0x140_0abcL, walk.physical());
        assertEquals(PageTableLevel.PD, walk.level());
        assertEquals(2L << 20, walk.pageSize());
        assertEquals(0, walk.steps().getLast().entry() & KernelPageTables.NX, "kernel text is executable");
    }

    @Test
    void vmallocPageIsAFourKibMapping() {
        PageWalk.Mapped walk = mapped(VMALLOC_PAGE + 0x123);

        assertEquals(0x312_3123L, walk.physical());
        assertEquals(PageTableLevel.PT, walk.level());
        assertEquals(4096, walk.pageSize());
        assertEquals(4, walk.steps().size());
    }

    @Test
    void eachLevelCanBeWhereTheWalkStops() {
        assertTrue(notMapped(0xffff_a000_0000_0000L).startsWith("not present at PML4 (entry 320 at 0x100a00"),
                notMapped(0xffff_a000_0000_0000L));
        assertTrue(notMapped(KernelLayout.PAGE_OFFSET + (100L << 30)).startsWith("not present at PDPT (entry 100"));
        assertTrue(notMapped(KernelLayout.START_KERNEL_MAP + (512L << 20)).startsWith("not present at PD (entry 256"));
        assertTrue(notMapped(VMALLOC_PAGE + 0x1000).startsWith("not present at PT (entry 6 "));
        assertEquals("0x800000000000 is not canonical (bits 63:47 differ)", notMapped(0x8000_0000_0000L));
    }

    @Test
    void mappingOverAMappingIsRefused() {
        IllegalStateException inside = assertThrows(IllegalStateException.class,
                () -> tables.map4k(KernelLayout.KERNEL_TEXT + 0x1000, 0, KernelPageTables.PAGE_KERNEL));
        assertEquals("0xffffffff81001000 is already mapped by a 2MB page", inside.getMessage());
        assertThrows(IllegalStateException.class,
                () -> tables.map4k(VMALLOC_PAGE, 0x400_0000L, KernelPageTables.PAGE_KERNEL));
        assertThrows(IllegalArgumentException.class,
                () -> tables.map(KernelLayout.PAGE_OFFSET + 4096, 4096, PageTableLevel.PD, KernelPageTables.PAGE_KERNEL));
    }

    @Test
    void theBumpRangeBoundsTheTables() {
        KernelPageTables small = new KernelPageTables(memory, 0x40_0000L, 0x40_2000L);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> small.map4k(KernelLayout.VMALLOC_START, 0, KernelPageTables.PAGE_KERNEL));
        assertEquals("page-table range ends at 0x402000: no room for another table", e.getMessage());
    }

    @Test
    void ptovIsTheDirectMap() {
        assertEquals(0xffff_8880_0100_0000L, PageWalk.ptov(0x100_0000L));
        assertEquals(0x100_0000L, PageWalk.linearToPhysical(KernelLayout.KERNEL_TEXT).orElseThrow());
        assertEquals(0x1234L, PageWalk.linearToPhysical(PageWalk.ptov(0x1234L)).orElseThrow());
        assertTrue(PageWalk.linearToPhysical(KernelLayout.VMALLOC_START).isEmpty());
    }

    @Test
    void aWalkWorksOnAVmcoreToo() throws Exception {
        Path file = TestVmcores.write(temp.resolve("vmcore"), 1);

        try (VmcoreReader reader = VmcoreReader.open(file)) {
            PageWalk.Translation walk = PageWalk.vtop(reader.physical(), TestVmcores.TABLES, KernelLayout.VMALLOC_START);
            PageWalk.Mapped mapped = assertInstanceOf(PageWalk.Mapped.class, walk);
            assertEquals(TestVmcores.VMALLOC_PHYSICAL, mapped.physical());
            assertEquals(0x7661_6c6c_6f63_2121L, reader.physical().readLong(mapped.physical()));
            PageWalk.Mapped text = assertInstanceOf(PageWalk.Mapped.class,
                    PageWalk.vtop(reader.physical(), TestVmcores.TABLES, KernelLayout.KERNEL_TEXT + 8));
            assertEquals(TestVmcores.IMAGE_START + 8, text.physical());
        }
    }
}
