package dev.nmilab.nmi;

import dev.nmilab.nmi.entry.NmiEntryVariant;
import dev.nmilab.smp.Machine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Counts, per CPU, how often execution reaches the entry stub's named places (first_nmi,
 * nested_nmi, repeat_nmi ... as entry_64.S names them), from which the nested, repeated and
 * absorbed NMIs follow. Site hooks: free where these labels are not.
 */
final class EntryCounters {
    private static final List<String> LABELS = List.of("asm_exc_nmi", "first_nmi", "nested_nmi", "nested_nmi_out",
            "nmi_latch");

    private final Map<String, long[]> hits = new TreeMap<>();

    EntryCounters(Machine machine, Function<String, Optional<Long>> symbols) {
        for (String label : LABELS) {
            symbols.apply(label).ifPresent(address -> {
                long[] perCpu = new long[machine.cpuCount()];
                hits.put(label, perCpu);
                machine.cpus().forEach(cpu -> cpu.engine().addSiteHook(address, (a, size) -> perCpu[cpu.index()]++));
            });
        }
    }

    private long hits(String label, int cpu) {
        long[] perCpu = hits.get(label);
        return perCpu == null ? 0 : perCpu[cpu];
    }

    /**
     * nested: NMIs that found another in progress; repeated: passes of the handler ({@code handlerPasses},
     * the calls of do_nmi) that no NMI of their own started; absorbed: nested NMIs that changed nothing.
     */
    Map<String, Long> derived(NmiEntryVariant variant, int cpu, long handlerPasses) {
        Map<String, Long> counters = new LinkedHashMap<>();
        switch (variant) {
            case NESTED_SAFE -> {
                counters.put("nested", hits("nested_nmi", cpu));
                counters.put("repeated", handlerPasses - hits("first_nmi", cpu));
                counters.put("absorbed", hits("nested_nmi_out", cpu) - hits("nested_nmi", cpu));
            }
            case I386_LATCH -> {
                long entries = hits("asm_exc_nmi", cpu);
                long latched = hits("nmi_latch", cpu);
                counters.put("nested", latched);
                counters.put("repeated", handlerPasses - (entries - latched));
            }
            case NAIVE -> counters.put("entries", hits("asm_exc_nmi", cpu));
        }
        return counters;
    }
}
