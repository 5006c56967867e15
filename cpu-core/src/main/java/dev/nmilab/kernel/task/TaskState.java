package dev.nmilab.kernel.task;

/** The scheduler states nmilab models (include/linux/sched.h). */
public enum TaskState {
    /** TASK_RUNNING: on a runqueue, running or ready. */
    RUNNING,
    /** TASK_UNINTERRUPTIBLE: sleeping until a timer or a wake-up. */
    UNINTERRUPTIBLE,
    /** EXIT_DEAD. */
    DEAD
}
