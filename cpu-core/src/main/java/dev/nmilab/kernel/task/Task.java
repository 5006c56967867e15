package dev.nmilab.kernel.task;

import dev.nmilab.kernel.lock.SpinLock;
import java.util.List;
import java.util.OptionalInt;

/** A task_struct, as far as nmilab models one: identity, CPU, state, its Java body and its stack. */
public final class Task {
    private final int pid;
    private final String comm;
    private final TaskBody body;
    private final OptionalInt boundCpu;
    private final long pad;
    private final long stackTop;
    private final List<String> callChain;
    int cpu;
    TaskState state = TaskState.RUNNING;
    long busyRemaining;
    SpinLock spinningOn;
    long spinSince;
    boolean inGuestCall;
    long guestResult;
    boolean irqsEnabled = true;
    /** Kernel code a step called that takes time itself (console_unlock from printk), innermost first. */
    final java.util.ArrayDeque<TaskBody> calls = new java.util.ArrayDeque<>();
    /** What each caller's step returned, to carry out once the call it made has returned. */
    final java.util.ArrayDeque<Action> afterCalls = new java.util.ArrayDeque<>();
    Action resume;

    Task(int pid, String comm, TaskBody body, OptionalInt boundCpu, int cpu, long pad, long stackTop,
            List<String> callChain) {
        this.pid = pid;
        this.comm = comm;
        this.body = body;
        this.boundCpu = boundCpu;
        this.cpu = cpu;
        this.pad = pad;
        this.stackTop = stackTop;
        this.callChain = List.copyOf(callChain);
    }

    public int pid() {
        return pid;
    }

    /** The command name, at most 15 characters (TASK_COMM_LEN). */
    public String comm() {
        return comm;
    }

    public int cpu() {
        return cpu;
    }

    public TaskState state() {
        return state;
    }

    public OptionalInt boundCpu() {
        return boundCpu;
    }

    TaskBody body() {
        return body;
    }

    /** The guest address standing for this task's Java code (RIP while it runs). */
    public long pad() {
        return pad;
    }

    public long stackTop() {
        return stackTop;
    }

    /** The modelled callers of the body, innermost first (for call traces), e.g. kthread, ret_from_fork. */
    public List<String> callChain() {
        return callChain;
    }

    public SpinLock spinningOn() {
        return spinningOn;
    }

    public long spinSince() {
        return spinSince;
    }

    @Override
    public String toString() {
        return comm + "/" + pid;
    }
}
