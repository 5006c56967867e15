package dev.nmilab.kdump.vmcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** VMCOREINFO text in crash_save_vmcoreinfo_init() order, with the x86-64 arch entries and CRASHTIME last. */
class VmcoreinfoTest {
    @Test
    void entriesComeInTheKernelsOrderAndFormats() {
        Map<String, String> printk = new LinkedHashMap<>();
        printk.put("SYMBOL(prb)", "ffffffff82a1c0e0");
        printk.put("SIZE(printk_ringbuffer)", "80");
        byte[] buildId = new byte[20];
        buildId[0] = (byte) 0xab;
        buildId[19] = 0x01;

        String text = Vmcoreinfo.builder("6.1.0-nmilab").buildId(buildId)
                .symbols(Map.of("init_top_pgt", 0xffffffff82c0c000L, "do_nmi", 0xffffffff81000100L,
                        "init_uts_ns", 0xffffffff82a12340L))
                .entries(printk).entries(Map.of("SIZE(page)", "64", "LENGTH(zone.free_area)", "11"))
                .crashTime(1234).build();

        assertEquals("""
                OSRELEASE=6.1.0-nmilab
                BUILD-ID=ab00000000000000000000000000000000000001
                PAGESIZE=4096
                SYMBOL(init_uts_ns)=ffffffff82a12340
                OFFSET(uts_namespace.name)=0
                SYMBOL(swapper_pg_dir)=ffffffff82c0c000
                SYMBOL(_stext)=ffffffff81000000
                NUMBER(SECTION_SIZE_BITS)=27
                NUMBER(MAX_PHYSMEM_BITS)=46
                SIZE(page)=64
                LENGTH(zone.free_area)=11
                SYMBOL(prb)=ffffffff82a1c0e0
                SIZE(printk_ringbuffer)=80
                NUMBER(phys_base)=0
                SYMBOL(init_top_pgt)=ffffffff82c0c000
                NUMBER(pgtable_l5_enabled)=0
                KERNELOFFSET=0
                NUMBER(KERNEL_IMAGE_SIZE)=1073741824
                NUMBER(sme_mask)=0
                CRASHTIME=1234
                """, text);
    }

    @Test
    void withoutABuildIdItIsZeroAndWithoutACrashThereIsNoCrashtime() {
        String text = Vmcoreinfo.builder("6.1.0").build();

        assertTrue(text.startsWith("OSRELEASE=6.1.0\nBUILD-ID=" + "0".repeat(40) + "\nPAGESIZE=4096\n"), text);
        assertTrue(!text.contains("CRASHTIME"), text);
    }

    @Test
    void symbolsTheKernelDoesNotListGoWhereThePrintkEntriesGo() {
        String text = Vmcoreinfo.builder("6.1").symbol("log_buf", 0xffff888000a00000L)
                .entries(Map.of("SIZE(page)", "64")).build();

        assertTrue(text.contains("SIZE(page)=64\nSYMBOL(log_buf)=ffff888000a00000\nNUMBER(phys_base)=0\n"), text);
    }

    @Test
    void parseGivesTheEntriesInOrder() {
        String text = TestVmcores.vmcoreinfo();

        Map<String, String> entries = Vmcoreinfo.parse(text);

        List<String> keys = new ArrayList<>(entries.keySet());
        assertEquals("OSRELEASE", keys.getFirst());
        assertEquals("CRASHTIME", keys.getLast());
        assertEquals("6.1.0-nmilab", entries.get("OSRELEASE"));
        assertEquals(0xffffffff80f00000L, Vmcoreinfo.symbol(entries, "init_top_pgt").orElseThrow());
        assertEquals(0, Vmcoreinfo.number(entries, "phys_base").orElseThrow());
        assertEquals(1L << 30, Vmcoreinfo.number(entries, "KERNEL_IMAGE_SIZE").orElseThrow());
        assertTrue(Vmcoreinfo.symbol(entries, "nothing").isEmpty());
        StringBuilder again = new StringBuilder();
        entries.forEach((k, v) -> again.append(k).append('=').append(v).append('\n'));
        assertEquals(text, again.toString());
    }

    @Test
    void aLineWithoutEqualsIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Vmcoreinfo.parse("OSRELEASE=6.1\nPAGESIZE 4096\n"));
        assertEquals("VMCOREINFO line 2 is not KEY=value: 'PAGESIZE 4096'", e.getMessage());
    }

    @Test
    void multiLineValuesAndShortBuildIdsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Vmcoreinfo.builder("6.1").entries(Map.of("SYMBOL(x)", "1\nCRASHTIME=2")));
        assertThrows(IllegalArgumentException.class, () -> Vmcoreinfo.builder("6.1").buildId(new byte[16]));
    }
}
