package dev.nmilab.scenario;

import java.util.List;
import java.util.OptionalLong;

/**
 * A task type for tests only, shaped like the runtime's: this package ships no task types, so
 * the tests register this one to exercise the task path of the parser.
 */
final class BugKthreadTaskType implements ScenarioTaskType {

    record BugKthread(String behaviour, OptionalLong periodNanos) implements TaskSpec {
    }

    @Override
    public String name() {
        return "bug-kthread";
    }

    @Override
    public List<KeySpec> keys() {
        return List.of(
                KeySpec.required("behaviour", "int3-loop or spin"),
                KeySpec.optional("period", "how often the bug fires, a duration"));
    }

    @Override
    public TaskSpec validate(LocatedMap params, ValidationContext ctx) {
        String behaviour = ctx.string(params, "behaviour");
        if (!behaviour.equals("int3-loop") && !behaviour.equals("spin")) {
            throw ctx.expected(params, "behaviour", "int3-loop or spin");
        }
        OptionalLong period = params.containsKey("period") ? OptionalLong.of(ctx.durationNanos(params, "period")) : OptionalLong.empty();
        return new BugKthread(behaviour, period);
    }
}
