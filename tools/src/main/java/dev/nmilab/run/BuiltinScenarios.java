package dev.nmilab.run;

import dev.nmilab.kernel.runtime.Resources;
import java.util.List;
import java.util.Optional;

/** Scenarios shipped inside nmilab (resources under dev/nmilab/scenarios), by name. */
public final class BuiltinScenarios {
    public static final String DIRECTORY = "dev/nmilab/scenarios/";
    /** In the order `nmilab scenarios` lists them. */
    public static final List<String> NAMES = List.of("iret-problem", "bug-in-kthread", "unknown-nmi",
            "unknown-nmi-panic", "io-check-nmi", "io-check-nmi-panic", "hard-lockup", "nested-nmi-iret",
            "nested-nmi-iret-naive", "nested-nmi-iret-i386", "nmi-panic-kdump", "sysrq-c-kdump",
            "crash-stop-blocked-kdump", "nmi-in-progress-crash-stop-kdump",
            "nmi-panic-self-stop-kdump", "nmi-panic-printk", "nmi-panic-printk-quiet", "nmi-panic-printk-rt285",
            "nmi-panic-printk-rt285-nowatchdog", "sysrq-c-printk-rt285", "nmi-panic-printk-66rt",
            "nmi-panic-rt285-quiet");

    /** Named groups `nmilab run` expands: the kdump talk's success matrix (slide 24) and its fifth row. */
    public static final java.util.Map<String, List<String>> SUITES = java.util.Map.of("talk-matrix",
            List.of("nmi-panic-printk-rt285", "nmi-panic-printk-rt285-nowatchdog", "sysrq-c-printk-rt285",
                    "nmi-panic-printk-66rt", "nmi-panic-rt285-quiet"));

    private BuiltinScenarios() {
    }

    public static Optional<String> yaml(String name) {
        if (!NAMES.contains(name)) {
            return Optional.empty();
        }
        return Optional.of(Resources.text(DIRECTORY + name + ".yaml"));
    }

    /** A stub a built-in scenario names, from the same directory. */
    public static String stub(String name) {
        return Resources.text(DIRECTORY + name);
    }

}
