package dev.nmilab.kernel.task;

/**
 * The Java code of a task: called each time the previous action completed. Everything done
 * inside the call (printk, a lock release, a sysctl read) happens at the current virtual time;
 * what takes time is returned as an {@link Action}.
 */
@FunctionalInterface
public interface TaskBody {
    Action next(TaskContext context);
}
