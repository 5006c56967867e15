package dev.nmilab.kdump.kexec;

import com.google.inject.Inject;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.runtime.ScenarioEventHandler;
import dev.nmilab.scenario.CpuUse;
import dev.nmilab.scenario.EventSpec;
import dev.nmilab.scenario.KeySpec;
import dev.nmilab.scenario.LocatedMap;
import dev.nmilab.scenario.ValidationContext;
import java.util.List;

/** {@code type: kexec-load}: load the crash kernel into the crashkernel= region, as kdump.service does. */
public final class KexecLoadEvent implements ScenarioEventHandler {
    public static final String NAME = "kexec-load";

    /** The event has nothing to say beyond its time. */
    public record Spec() implements EventSpec {
    }

    private final KdumpSubsystem kdump;

    @Inject
    public KexecLoadEvent(KdumpSubsystem kdump) {
        this.kdump = kdump;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<KeySpec> keys() {
        return List.of();
    }

    @Override
    public CpuUse cpuUse() {
        return CpuUse.NONE;
    }

    @Override
    public EventSpec validate(LocatedMap params, ValidationContext ctx) {
        return new Spec();
    }

    @Override
    public void apply(KernelRuntime runtime, EventSpec spec) {
        kdump.loadCrashImage();
    }
}
