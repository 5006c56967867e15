package dev.nmilab.stub;

import dev.nmilab.x86.Vector;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.Optional;

/**
 * The IDT a stub gets unless it loads its own: a present interrupt gate for each vector whose
 * handler symbol the stub defines (Linux's asm_exc_* names, arch/x86/include/asm/idtentry.h),
 * an all-zero (invalid) gate otherwise, whose use raises #GP(vector*8+2) by the SDM's gate-type check,
 * on to #DF and a triple fault when those handlers are missing too. External vectors use {@code asm_irq_<vector>} when defined, else
 * {@code asm_common_interrupt}.
 */
public final class DefaultIdt {
    public static final Map<Integer, String> EXCEPTION_HANDLERS = new TreeMap<>(Map.ofEntries(
            Map.entry(Vector.DE, "asm_exc_divide_error"),
            Map.entry(Vector.DB, "asm_exc_debug"),
            Map.entry(Vector.NMI, "asm_exc_nmi"),
            Map.entry(Vector.BP, "asm_exc_int3"),
            Map.entry(Vector.UD, "asm_exc_invalid_op"),
            Map.entry(Vector.DF, "asm_exc_double_fault"),
            Map.entry(Vector.NP, "asm_exc_segment_not_present"),
            Map.entry(Vector.GP, "asm_exc_general_protection"),
            Map.entry(Vector.PF, "asm_exc_page_fault"),
            Map.entry(Vector.MC, "asm_exc_machine_check")));
    public static final String COMMON_INTERRUPT = "asm_common_interrupt";
    /** System vectors by their Linux entry names (arch/x86/include/asm/irq_vectors.h, idtentry.h). */
    public static final Map<Integer, String> SYSTEM_VECTORS = new TreeMap<>(Map.of(
            0xec, "asm_sysvec_apic_timer_interrupt",
            0xfd, "asm_sysvec_reschedule_ipi",
            0xfe, "asm_sysvec_error_interrupt",
            0xff, "asm_sysvec_spurious_apic_interrupt"));

    private DefaultIdt() {
    }

    /** Vector to handler address for every handler {@code lookup} finds. */
    public static Map<Integer, Long> handlers(Function<String, Optional<Long>> lookup) {
        Map<Integer, Long> handlers = new TreeMap<>();
        EXCEPTION_HANDLERS.forEach((vector, name) -> lookup.apply(name).ifPresent(a -> handlers.put(vector, a)));
        Optional<Long> common = lookup.apply(COMMON_INTERRUPT);
        for (int vector = Vector.FIRST_EXTERNAL; vector < 256; vector++) {
            Optional<Long> own = lookup.apply("asm_irq_" + vector);
            if (own.isEmpty() && SYSTEM_VECTORS.containsKey(vector)) {
                own = lookup.apply(SYSTEM_VECTORS.get(vector));
            }
            if (own.isPresent()) {
                handlers.put(vector, own.get());
            } else if (common.isPresent()) {
                handlers.put(vector, common.get());
            }
        }
        return handlers;
    }
}
