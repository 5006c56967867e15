package dev.nmilab.scenario.events;

import dev.nmilab.scenario.CpuUse;
import dev.nmilab.scenario.EventSpec;
import dev.nmilab.scenario.KeySpec;
import dev.nmilab.scenario.LocatedMap;
import dev.nmilab.scenario.ScenarioEventType;
import dev.nmilab.scenario.ValidationContext;
import java.util.List;

/** {@code type: irq}: an external interrupt on {@code cpu} with a {@code vector} of 32..255. */
public final class IrqEventType implements ScenarioEventType {

    public static final String NAME = "irq";

    /** FIRST_EXTERNAL_VECTOR in arch/x86/include/asm/irq_vectors.h: 0..31 are exceptions. */
    public static final int FIRST_EXTERNAL_VECTOR = 0x20;
    public static final int LAST_VECTOR = 0xff;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<KeySpec> keys() {
        return List.of(KeySpec.required("vector", "interrupt vector, 32..255 (decimal or 0x hex)"));
    }

    @Override
    public CpuUse cpuUse() {
        return CpuUse.REQUIRED;
    }

    @Override
    public EventSpec validate(LocatedMap params, ValidationContext ctx) {
        return new IrqEvent(ctx.cpu().orElseThrow(), ctx.intValue(params, "vector", FIRST_EXTERNAL_VECTOR, LAST_VECTOR));
    }
}
