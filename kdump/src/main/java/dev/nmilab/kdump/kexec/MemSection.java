package dev.nmilab.kdump.kexec;

import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.memory.GuestMemory;
import dev.nmilab.memory.KernelLayout;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

/**
 * mem_section (mm/sparse.c with CONFIG_SPARSEMEM_EXTREME, Linux 6.1 x86-64): a root array of
 * NR_SECTION_ROOTS pointers, each to a page of struct mem_section, one per 128 MiB of RAM. Dump
 * readers find memory by section before anything else (makedumpfile's get_mm_sparsemem() runs
 * even for --dump-dmesg), so the sections of all RAM are marked present as sparse_init() and
 * online_mem_sections() leave them, each with its vmemmap mem_map encoded as
 * sparse_encode_mem_map() does. The struct pages themselves are not modelled.
 *
 * <pre>
 *  struct mem_section  +0 section_mem_map (mem_map - section's first pfn, | flags)  +8 usage
 * </pre>
 */
final class MemSection {
    static final int SIZEOF_MEM_SECTION = 16;
    static final int SECTION_SIZE_BITS = 27;
    static final int MAX_PHYSMEM_BITS = 46;
    static final long SECTIONS_PER_ROOT = 4096 / SIZEOF_MEM_SECTION;
    /** NR_SECTION_ROOTS = NR_MEM_SECTIONS / SECTIONS_PER_ROOT: LENGTH(mem_section). */
    static final long NR_SECTION_ROOTS = (1L << (MAX_PHYSMEM_BITS - SECTION_SIZE_BITS)) / SECTIONS_PER_ROOT;
    /** vmemmap_base without KASLR (Documentation/x86/x86_64/mm.rst). */
    static final long VMEMMAP_START = 0xffff_ea00_0000_0000L;
    /** sizeof(struct page) and the members makedumpfile's get_mem_type() asks for. */
    static final int SIZEOF_PAGE = 64;
    static final int PAGE_FLAGS = 0;
    static final int PAGE_MAPPING = 24;
    static final int PAGE_REFCOUNT = 52;
    /** SECTION_MARKED_PRESENT, SECTION_HAS_MEM_MAP, SECTION_IS_ONLINE, SECTION_IS_EARLY (include/linux/mmzone.h). */
    static final long BOOT_SECTION_FLAGS = 0b1111;

    private MemSection() {
    }

    /** Lay the root array and the root pages for {@code ramSize} bytes of RAM out at MEM_SECTION_PHYSICAL. */
    static void build(GuestMemory physical, long ramSize) {
        long sections = (ramSize + (1L << SECTION_SIZE_BITS) - 1) >>> SECTION_SIZE_BITS;
        long roots = KernelRuntime.MEM_SECTION_PHYSICAL;
        long rootPages = roots + NR_SECTION_ROOTS * 8;
        long rootCount = (sections + SECTIONS_PER_ROOT - 1) / SECTIONS_PER_ROOT;
        if (rootPages + rootCount * 4096 > KernelRuntime.MEM_SECTION_END) {
            throw new IllegalStateException(sections + " memory sections do not fit below MEM_SECTION_END");
        }
        physical.write(roots, new byte[(int) (NR_SECTION_ROOTS * 8 + rootCount * 4096)]);
        for (long root = 0; root < rootCount; root++) {
            physical.writeLong(roots + 8 * root, KernelLayout.directMap(rootPages + 4096 * root));
        }
        for (long nr = 0; nr < sections; nr++) {
            long section = rootPages + nr * SIZEOF_MEM_SECTION; // root r's page follows root r-1's
            // sparse_encode_mem_map(): mem_map - section_nr_to_pfn(nr), i.e. vmemmap itself
            physical.writeLong(section, VMEMMAP_START | BOOT_SECTION_FLAGS);
        }
    }

    /** The kernel's address of the root array: what the mem_section pointer holds. */
    static long roots() {
        return KernelLayout.directMap(KernelRuntime.MEM_SECTION_PHYSICAL);
    }

    /** What crash_save_vmcoreinfo_init() (kernel/crash_core.c) says about SPARSEMEM and struct page. */
    static SequencedMap<String, String> vmcoreinfoEntries(long roots) {
        SequencedMap<String, String> entries = new LinkedHashMap<>();
        entries.put("SYMBOL(mem_section)", Long.toHexString(roots)); // VMCOREINFO_SYMBOL_ARRAY: the pointer's value
        entries.put("LENGTH(mem_section)", Long.toString(NR_SECTION_ROOTS));
        entries.put("SIZE(mem_section)", Integer.toString(SIZEOF_MEM_SECTION));
        entries.put("OFFSET(mem_section.section_mem_map)", "0");
        entries.put("SIZE(page)", Integer.toString(SIZEOF_PAGE));
        entries.put("OFFSET(page.flags)", Integer.toString(PAGE_FLAGS));
        entries.put("OFFSET(page._refcount)", Integer.toString(PAGE_REFCOUNT));
        entries.put("OFFSET(page.mapping)", Integer.toString(PAGE_MAPPING));
        return entries;
    }
}
