package dev.nmilab.kernel.workload;

import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.task.Action;
import dev.nmilab.scenario.KeySpec;
import dev.nmilab.scenario.LocatedMap;
import dev.nmilab.scenario.ScenarioTask;
import dev.nmilab.scenario.TaskSpec;
import dev.nmilab.scenario.ValidationContext;
import java.util.List;

/** A kthread that busy-loops, optionally with interrupts off (the classic hard-lockup culprit). */
public final class BusyLoop implements Workload {
    public static final String NAME = "busy-loop";

    public record Spec(long afterNs, long forNs, boolean irqsOff) implements TaskSpec {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<KeySpec> keys() {
        return List.of(new KeySpec("after", false, "delay before the loop starts (default 0)"),
                new KeySpec("for", false, "how long it loops (default: forever)"),
                new KeySpec("irqs", false, "on or off during the loop (default on)"));
    }

    @Override
    public TaskSpec validate(LocatedMap params, ValidationContext ctx) {
        long after = params.get("after").isPresent() ? ctx.durationNanos(params, "after") : 0;
        long duration = params.get("for").isPresent() ? ctx.durationNanos(params, "for") : Long.MAX_VALUE;
        String irqs = ctx.optionalString(params, "irqs").orElse("on");
        if (!irqs.equals("on") && !irqs.equals("off")) {
            throw ctx.expected(params, "irqs", "on or off");
        }
        return new Spec(after, duration, irqs.equals("off"));
    }

    @Override
    public void spawn(KernelRuntime runtime, ScenarioTask task) {
        Spec spec = (Spec) task.spec();
        int[] step = {0};
        runtime.services().scheduler().spawnKthread(task.name().orElse("busy_loop"), task.cpu().orElse(0),
                "busy_loop_fn", context -> switch (step[0]++) {
                    case 0 -> spec.afterNs() > 0 ? new Action.Sleep(spec.afterNs()) : new Action.Busy(1);
                    case 1 -> {
                        if (spec.irqsOff()) {
                            context.localIrqDisable();
                        }
                        yield new Action.Busy(spec.forNs());
                    }
                    case 2 -> {
                        context.localIrqEnable();
                        yield new Action.Exit();
                    }
                    default -> new Action.Exit();
                });
    }
}
