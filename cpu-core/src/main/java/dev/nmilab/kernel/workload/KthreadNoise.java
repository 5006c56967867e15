package dev.nmilab.kernel.workload;

import dev.nmilab.kernel.printk.LogLevel;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.task.Action;
import dev.nmilab.scenario.KeySpec;
import dev.nmilab.scenario.LocatedMap;
import dev.nmilab.scenario.ScenarioTask;
import dev.nmilab.scenario.TaskSpec;
import dev.nmilab.scenario.ValidationContext;
import java.util.List;

/**
 * The printk spammer of the kdump talk (kthread-noise.c): {@code threads} kthreads, one per CPU
 * from {@code cpu} on (wrapping), each printing one message and then
 * schedule_timeout_uninterruptible(1): one jiffy, 1 ms at HZ=1000. Four threads print 4,000
 * messages a second, far more than a 115200-baud console's ~144 lines.
 */
public final class KthreadNoise implements Workload {
    public static final String NAME = "kthread-noise";
    private static final long JIFFY_NS = 1_000_000L;

    public record Spec(int threads, long messageBusyNs) implements TaskSpec {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<KeySpec> keys() {
        return List.of(new KeySpec("threads", false, "number of kthreads (default 4), one per CPU from cpu on"),
                new KeySpec("cost", false, "CPU time one printk call takes (default 2us)"));
    }

    @Override
    public TaskSpec validate(LocatedMap params, ValidationContext ctx) {
        int threads = ctx.optionalIntValue(params, "threads", 1, 64).orElse(4);
        long cost = params.get("cost").isPresent() ? ctx.durationNanos(params, "cost") : 2_000;
        return new Spec(threads, Math.max(1, cost));
    }

    @Override
    public void spawn(KernelRuntime runtime, ScenarioTask task) {
        Spec spec = (Spec) task.spec();
        int cpus = runtime.machine().cpuCount();
        int first = task.cpu().orElse(0);
        for (int i = 0; i < spec.threads(); i++) {
            int cpu = (first + i) % cpus;
            int thread = i;
            long[] count = {0};
            boolean[] printed = {false};
            runtime.services().scheduler().spawnKthread("knoise/" + thread, cpu, "noise_thread_fn", context -> {
                if (!printed[0]) {
                    printed[0] = true;
                    context.services().printk().printk(context.processorId(), LogLevel.KERN_INFO, "kthread-noise/"
                            + thread + ": message " + ++count[0] + " from CPU " + context.processorId());
                    return new Action.Busy(spec.messageBusyNs());
                }
                printed[0] = false;
                return new Action.Sleep(JIFFY_NS);
            });
        }
    }
}
