package dev.nmilab.nmi;

import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.runtime.ScenarioEventHandler;
import dev.nmilab.scenario.CpuUse;
import dev.nmilab.scenario.EventSpec;
import dev.nmilab.scenario.KeySpec;
import dev.nmilab.scenario.LocatedMap;
import dev.nmilab.scenario.ValidationContext;
import java.util.List;

/**
 * {@code type: platform-nmi}: the board raises an NMI (a BMC "chassis power diag", a PCI SERR, an
 * I/O channel check): the reason port's lines are set as asked, then the NMI goes to the CPU
 * (default 0, the BSP) through its LINT1 when the local APIC is present.
 */
public final class PlatformNmiEvent implements ScenarioEventHandler {
    public static final String NAME = "platform-nmi";

    /** What the board asserts. */
    public record Spec(int cpu, boolean serr, boolean iochk) implements EventSpec {
    }

    private final NmiSubsystem subsystem;

    @com.google.inject.Inject
    public PlatformNmiEvent(NmiSubsystem subsystem) {
        this.subsystem = subsystem;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<KeySpec> keys() {
        return List.of(new KeySpec("reason", false,
                "which reason-port line is asserted: none (default), serr or iochk"));
    }

    @Override
    public CpuUse cpuUse() {
        return CpuUse.OPTIONAL;
    }

    @Override
    public EventSpec validate(LocatedMap params, ValidationContext ctx) {
        String reason = ctx.optionalString(params, "reason").orElse("none");
        if (!List.of("none", "serr", "iochk").contains(reason)) {
            throw ctx.expected(params, "reason", "none, serr or iochk");
        }
        return new Spec(ctx.cpu().orElse(0), reason.equals("serr"), reason.equals("iochk"));
    }

    @Override
    public void apply(KernelRuntime runtime, EventSpec spec) {
        Spec platform = (Spec) spec;
        if (platform.serr()) {
            subsystem.reasonPort().assertSerr();
        }
        if (platform.iochk()) {
            subsystem.reasonPort().assertIochk();
        }
        subsystem.platformNmi(runtime, platform.cpu());
    }
}
