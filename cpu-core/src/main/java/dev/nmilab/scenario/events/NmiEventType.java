package dev.nmilab.scenario.events;

import dev.nmilab.scenario.CpuUse;
import dev.nmilab.scenario.EventSpec;
import dev.nmilab.scenario.KeySpec;
import dev.nmilab.scenario.LocatedMap;
import dev.nmilab.scenario.ScenarioEventType;
import dev.nmilab.scenario.ValidationContext;
import java.util.List;

/** {@code type: nmi}: an NMI on {@code cpu}; no keys of its own. */
public final class NmiEventType implements ScenarioEventType {

    public static final String NAME = "nmi";

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
        return CpuUse.REQUIRED;
    }

    @Override
    public EventSpec validate(LocatedMap params, ValidationContext ctx) {
        return new NmiEvent(ctx.cpu().orElseThrow());
    }
}
