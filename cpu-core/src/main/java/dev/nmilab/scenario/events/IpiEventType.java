package dev.nmilab.scenario.events;

import dev.nmilab.scenario.CpuUse;
import dev.nmilab.scenario.EventSpec;
import dev.nmilab.scenario.Integers;
import dev.nmilab.scenario.KeySpec;
import dev.nmilab.scenario.LocatedMap;
import dev.nmilab.scenario.ScenarioEventType;
import dev.nmilab.scenario.ValidationContext;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code type: ipi}: {@code cpu} sends an IPI to {@code dest}, either {@code mode: fixed} with a
 * {@code vector} (the default mode) or {@code mode: nmi} without one.
 */
public final class IpiEventType implements ScenarioEventType {

    public static final String NAME = "ipi";

    private static final String DEST_EXPECTED = "a CPU number, self, all or all-but-self";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<KeySpec> keys() {
        return List.of(
                KeySpec.required("dest", "destination: a CPU number, self, all or all-but-self"),
                KeySpec.optional("mode", "delivery mode: fixed (default, needs vector) or nmi (no vector)"),
                KeySpec.optional("vector", "vector for mode fixed, 32..255 (decimal or 0x hex)"));
    }

    @Override
    public CpuUse cpuUse() {
        return CpuUse.REQUIRED;
    }

    @Override
    public EventSpec validate(LocatedMap params, ValidationContext ctx) {
        IpiMode mode = mode(params, ctx);
        OptionalInt vector = OptionalInt.empty();
        if (mode == IpiMode.NMI && params.containsKey("vector")) {
            throw ctx.error(params, "vector", "an IPI with mode nmi takes no vector");
        }
        if (mode == IpiMode.FIXED) {
            if (!params.containsKey("vector")) {
                throw ctx.error(params, "missing required key 'vector' (an IPI with mode fixed needs one)");
            }
            vector = OptionalInt.of(ctx.intValue(params, "vector", IrqEventType.FIRST_EXTERNAL_VECTOR, IrqEventType.LAST_VECTOR));
        }
        return new IpiEvent(ctx.cpu().orElseThrow(), mode, vector, destination(params, ctx));
    }

    private static IpiMode mode(LocatedMap params, ValidationContext ctx) {
        return switch (ctx.optionalString(params, "mode").orElse("fixed")) {
            case "fixed" -> IpiMode.FIXED;
            case "nmi" -> IpiMode.NMI;
            default -> throw ctx.expected(params, "mode", "fixed or nmi");
        };
    }

    private static IpiDestination destination(LocatedMap params, ValidationContext ctx) {
        String dest = ctx.string(params, "dest");
        for (IpiDestination.Shorthand shorthand : IpiDestination.Shorthand.values()) {
            if (shorthand.spelling().equals(dest)) {
                return shorthand;
            }
        }
        try {
            Integers.parse(dest);
        } catch (NumberFormatException notANumber) {
            throw ctx.expected(params, "dest", DEST_EXPECTED);
        }
        return new IpiDestination.Cpu(ctx.cpuNumber(params, "dest"));
    }
}
