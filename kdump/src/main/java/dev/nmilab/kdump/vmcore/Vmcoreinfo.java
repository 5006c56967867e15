package dev.nmilab.kdump.vmcore;

import dev.nmilab.memory.KernelLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SequencedMap;

/**
 * The VMCOREINFO note text, one {@code KEY=value} line each, in the order Linux 6.1 writes it:
 * crash_save_vmcoreinfo_init() (kernel/crash_core.c) with log_buf_vmcoreinfo_setup()
 * (kernel/printk/printk.c) in its middle, arch_crash_save_vmcoreinfo()
 * (arch/x86/kernel/machine_kexec_64.c) at its end, and CRASHTIME appended by
 * crash_save_vmcoreinfo() when the kernel crashes. The macros print SYMBOL as %lx, SIZE, OFFSET
 * and LENGTH as %lu, NUMBER as %ld (include/linux/crash_core.h).
 *
 * <p>An entry appears only when nmilab has what it describes: the layout facts of the x86-64
 * 4-level kernel it models are built in, symbols and structure sizes come from the caller. The
 * caller's extra entries take the place of a listed key of the same name; others go where
 * log_buf_vmcoreinfo_setup() writes, which is where the printk ring's entries belong.
 */
public final class Vmcoreinfo {
    private static final String LOG_BUF_SETUP = "";

    /** crash_save_vmcoreinfo_init() keys for x86-64 (CONFIG_NUMA, SPARSEMEM, MEMORY_FAILURE, HUGETLB_PAGE). */
    private static final List<String> KEYS = List.of(
            "OSRELEASE", "BUILD-ID", "PAGESIZE",
            "SYMBOL(init_uts_ns)", "OFFSET(uts_namespace.name)", "SYMBOL(node_online_map)",
            "SYMBOL(swapper_pg_dir)", "SYMBOL(_stext)", "SYMBOL(vmap_area_list)",
            "SYMBOL(mem_section)", "LENGTH(mem_section)", "SIZE(mem_section)",
            "OFFSET(mem_section.section_mem_map)", "NUMBER(SECTION_SIZE_BITS)", "NUMBER(MAX_PHYSMEM_BITS)",
            "SIZE(page)", "SIZE(pglist_data)", "SIZE(zone)", "SIZE(free_area)", "SIZE(list_head)",
            "SIZE(nodemask_t)", "OFFSET(page.flags)", "OFFSET(page._refcount)", "OFFSET(page.mapping)",
            "OFFSET(page.lru)", "OFFSET(page._mapcount)", "OFFSET(page.private)", "OFFSET(page.compound_dtor)",
            "OFFSET(page.compound_order)", "OFFSET(page.compound_head)", "OFFSET(pglist_data.node_zones)",
            "OFFSET(pglist_data.nr_zones)", "OFFSET(pglist_data.node_start_pfn)",
            "OFFSET(pglist_data.node_spanned_pages)", "OFFSET(pglist_data.node_id)", "OFFSET(zone.free_area)",
            "OFFSET(zone.vm_stat)", "OFFSET(zone.spanned_pages)", "OFFSET(free_area.free_list)",
            "OFFSET(list_head.next)", "OFFSET(list_head.prev)", "OFFSET(vmap_area.va_start)",
            "OFFSET(vmap_area.list)", "LENGTH(zone.free_area)",
            LOG_BUF_SETUP,
            "LENGTH(free_area.free_list)", "NUMBER(NR_FREE_PAGES)", "NUMBER(PG_lru)", "NUMBER(PG_private)",
            "NUMBER(PG_swapcache)", "NUMBER(PG_swapbacked)", "NUMBER(PG_slab)", "NUMBER(PG_hwpoison)",
            "NUMBER(PG_head_mask)", "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)", "NUMBER(HUGETLB_PAGE_DTOR)",
            "NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)",
            // arch_crash_save_vmcoreinfo(), x86-64
            "NUMBER(phys_base)", "SYMBOL(init_top_pgt)", "NUMBER(pgtable_l5_enabled)", "SYMBOL(node_data)",
            "LENGTH(node_data)", "KERNELOFFSET", "NUMBER(KERNEL_IMAGE_SIZE)", "NUMBER(sme_mask)");

    /** Facts of the layout nmilab models: no KASLR, no SME, 4-level paging, SPARSEMEM with 128 MiB sections. */
    private static final Map<String, String> LAYOUT = Map.of(
            "PAGESIZE", "4096",
            "SYMBOL(_stext)", hex(KernelLayout.KERNEL_TEXT),
            "NUMBER(SECTION_SIZE_BITS)", "27",
            "NUMBER(MAX_PHYSMEM_BITS)", "46",
            "NUMBER(phys_base)", "0",
            "NUMBER(pgtable_l5_enabled)", "0",
            "KERNELOFFSET", "0",
            "NUMBER(KERNEL_IMAGE_SIZE)", Long.toString(KernelLayout.KERNEL_IMAGE_SIZE),
            "NUMBER(sme_mask)", "0");

    private Vmcoreinfo() {
    }

    public static Builder builder(String osRelease) {
        return new Builder(osRelease);
    }

    /** Collects the values; {@link #build()} writes them in the kernel's order. */
    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>(LAYOUT);
        private final Map<String, String> extra = new LinkedHashMap<>();
        private OptionalLong crashTime = OptionalLong.empty();

        private Builder(String osRelease) {
            values.put("OSRELEASE", requireLine(osRelease));
            // vmlinux_build_id stays zero when the image has no build id (lib/buildid.c)
            values.put("BUILD-ID", "0".repeat(40));
        }

        /** The 20-byte GNU build id of vmlinux, printed as %20phN. */
        public Builder buildId(byte[] id) {
            if (id.length != 20) {
                throw new IllegalArgumentException("a build id has 20 bytes, got " + id.length);
            }
            values.put("BUILD-ID", HexFormat.of().formatHex(id));
            return this;
        }

        /**
         * SYMBOL(name)=address. A symbol crash_save_vmcoreinfo_init() lists (init_uts_ns,
         * init_top_pgt, vmap_area_list, ...) goes in its place; any other (log_buf, prb) goes
         * where log_buf_vmcoreinfo_setup() writes. On x86-64 swapper_pg_dir is init_top_pgt
         * (arch/x86/include/asm/pgtable_64.h), so setting one sets the other.
         */
        public Builder symbol(String name, long address) {
            String key = "SYMBOL(" + name + ")";
            if (!KEYS.contains(key)) {
                return entries(Map.of(key, hex(address)));
            }
            values.put(key, hex(address));
            if (name.equals("init_top_pgt")) {
                values.put("SYMBOL(swapper_pg_dir)", hex(address));
            } else if (name.equals("swapper_pg_dir")) {
                values.put("SYMBOL(init_top_pgt)", hex(address));
            } else if (name.equals("init_uts_ns")) {
                // struct uts_namespace begins with its new_utsname since 5.11 (include/linux/utsname.h)
                values.put("OFFSET(uts_namespace.name)", "0");
            }
            return this;
        }

        /** The listed symbols that {@code symbols} (say, MachineSymbols.all()) defines. */
        public Builder symbols(Map<String, Long> symbols) {
            KEYS.stream().filter(key -> key.startsWith("SYMBOL(")).map(key -> key.substring(7, key.length() - 1))
                    .filter(symbols::containsKey).forEach(name -> symbol(name, symbols.get(name)));
            return this;
        }

        /** Entries as they print ({@code "SYMBOL(log_buf)" -> "ffff888000a00000"}), in the caller's order. */
        public Builder entries(Map<String, String> entries) {
            entries.forEach((key, value) -> {
                requireLine(value);
                if (key.isEmpty() || key.contains("=") || key.contains("\n")) {
                    throw new IllegalArgumentException("bad VMCOREINFO key '" + key + "'");
                }
                if (KEYS.contains(key)) {
                    values.put(key, value);
                } else {
                    extra.put(key, value);
                }
            });
            return this;
        }

        /** CRASHTIME, the wall-clock seconds crash_save_vmcoreinfo() appends when the kernel crashes. */
        public Builder crashTime(long seconds) {
            crashTime = OptionalLong.of(seconds);
            return this;
        }

        public String build() {
            StringBuilder text = new StringBuilder();
            for (String key : KEYS) {
                if (key.equals(LOG_BUF_SETUP)) {
                    extra.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
                } else if (values.containsKey(key)) {
                    text.append(key).append('=').append(values.get(key)).append('\n');
                }
            }
            crashTime.ifPresent(seconds -> text.append("CRASHTIME=").append(seconds).append('\n'));
            return text.toString();
        }

        private static String requireLine(String value) {
            if (value.contains("\n")) {
                throw new IllegalArgumentException("a VMCOREINFO value is one line, got '" + value + "'");
            }
            return value;
        }
    }

    /**
     * The entries of a VMCOREINFO text in their order (a later duplicate key replaces the value).
     *
     * @throws IllegalArgumentException naming the line that has no '='
     */
    public static SequencedMap<String, String> parse(String text) {
        SequencedMap<String, String> entries = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() || (i == lines.length - 1 && line.chars().allMatch(c -> c == 0))) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("VMCOREINFO line " + (i + 1) + " is not KEY=value: '" + line + "'");
            }
            entries.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return Collections.unmodifiableSequencedMap(entries);
    }

    /** SYMBOL(name) as an address, when present and hexadecimal. */
    public static OptionalLong symbol(Map<String, String> entries, String name) {
        String value = entries.get("SYMBOL(" + name + ")");
        try {
            return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseUnsignedLong(value, 16));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** NUMBER(name) (decimal, or hexadecimal with 0x as some architectures print it), when present. */
    public static OptionalLong number(Map<String, String> entries, String name) {
        String value = entries.get("NUMBER(" + name + ")");
        try {
            if (value == null) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(value.startsWith("0x") ? Long.parseUnsignedLong(value.substring(2), 16)
                    : Long.parseLong(value));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static String hex(long value) {
        return Long.toHexString(value);
    }
}
