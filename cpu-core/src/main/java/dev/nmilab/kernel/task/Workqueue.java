package dev.nmilab.kernel.task;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * A per-CPU workqueue with its kworker threads (kernel/workqueue.c, much reduced): queue_work_on
 * puts a work item on one CPU's list and wakes that CPU's kworker, which runs the items in order;
 * an item is Java kernel code that may take time. Idle kworkers sleep until woken.
 */
public final class Workqueue {
    /** A work_struct's function: what it does and how long it keeps the CPU busy. */
    @FunctionalInterface
    public interface Work {
        /** Run the work on {@code context}'s CPU; returns the CPU time it takes (at least 1 ns). */
        long run(TaskContext context);
    }

    private final String name;
    private final List<Deque<Work>> pending = new ArrayList<>();
    private final List<Task> workers = new ArrayList<>();
    private final KernelScheduler scheduler;
    private long completed;

    /** alloc_workqueue: one kworker per CPU, named kworker/N:0 as the kernel names bound workers. */
    public Workqueue(String name, KernelScheduler scheduler, int cpus) {
        this.name = name;
        this.scheduler = scheduler;
        for (int cpu = 0; cpu < cpus; cpu++) {
            Deque<Work> queue = new ArrayDeque<>();
            pending.add(queue);
            workers.add(scheduler.spawnKthread("kworker/" + cpu + ":0", cpu, "worker_thread", worker(queue)));
        }
    }

    public String name() {
        return name;
    }

    /** queue_work_on: run {@code work} on {@code cpu}'s kworker. */
    public void queueWorkOn(int cpu, Work work) {
        pending.get(cpu).addLast(work);
        scheduler.wake(workers.get(cpu));
    }

    public long completed() {
        return completed;
    }

    public Task worker(int cpu) {
        return workers.get(cpu);
    }

    private TaskBody worker(Deque<Work> queue) {
        Function<TaskContext, Action> body = context -> {
            Work work = queue.pollFirst();
            if (work == null) {
                return new Action.Wait(); // until queue_work_on wakes it
            }
            long busy = Math.max(1, work.run(context));
            completed++;
            return new Action.Busy(busy);
        };
        return body::apply;
    }
}
