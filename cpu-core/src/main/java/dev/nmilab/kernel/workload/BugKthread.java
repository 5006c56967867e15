package dev.nmilab.kernel.workload;

import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.task.Action;
import dev.nmilab.scenario.KeySpec;
import dev.nmilab.scenario.ScenarioTask;
import dev.nmilab.scenario.TaskSpec;
import dev.nmilab.scenario.ValidationContext;
import dev.nmilab.scenario.LocatedMap;
import java.util.List;

/**
 * A kthread that, after a while, calls lkdtm_BUG() (drivers/misc/lkdtm/bugs.c): a real ud2
 * with a __bug_table entry, delivered as #UD to the runtime's asm_exc_invalid_op.
 */
public final class BugKthread implements Workload {
    public static final String NAME = "bug-kthread";

    /** @param afterNs how long the thread sleeps before hitting the BUG */
    public record Spec(long afterNs) implements TaskSpec {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<KeySpec> keys() {
        return List.of(new KeySpec("after", false, "delay before BUG(), a duration (default 1ms)"));
    }

    @Override
    public TaskSpec validate(LocatedMap params, ValidationContext ctx) {
        long after = params.get("after").isPresent() ? ctx.durationNanos(params, "after") : 1_000_000L;
        return new Spec(after);
    }

    @Override
    public void spawn(KernelRuntime runtime, ScenarioTask task) {
        Spec spec = (Spec) task.spec();
        long bug = runtime.symbol("lkdtm_BUG").orElseThrow();
        int[] step = {0};
        runtime.services().scheduler().spawnKthread(task.name().orElse("lkdtm_bug"), task.cpu().orElse(0),
                "lkdtm_bug_kthread", context -> switch (step[0]++) {
                    case 0 -> new Action.Sleep(spec.afterNs());
                    case 1 -> new Action.CallGuest(bug);
                    default -> new Action.Exit();
                });
    }
}
