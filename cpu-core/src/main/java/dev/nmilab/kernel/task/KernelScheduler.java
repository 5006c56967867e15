package dev.nmilab.kernel.task;

import dev.nmilab.kernel.lock.SpinLock;
import dev.nmilab.kernel.runtime.KernelServices;
import dev.nmilab.memory.KernelLayout;
import dev.nmilab.smp.CpuExecutor;
import dev.nmilab.smp.Machine;
import dev.nmilab.unicorn.X86Reg;
import dev.nmilab.x86.Cpu;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Tasks on CPUs in virtual time (a small kernel/sched/core.c): one FIFO runqueue per CPU,
 * switching only when the running task sleeps, exits or blocks (no timer preemption), sleeping
 * and waking by virtual-time timers, migration between CPUs, kthreads bound to one CPU.
 *
 * <p>As the CPU executor it lets Java kernel code and instructions share a CPU: while RIP is
 * on a task's Java-text pad the task body runs and its actions consume the CPU's time; any
 * deliverable event, or RIP in real code (an interrupt handler, a guest call), runs instructions.
 */
public final class KernelScheduler implements CpuExecutor {
    /** A Java step that takes no time is allowed this many times in a row before it is a bug. */
    private static final int MAX_ZERO_TIME_STEPS = 10_000;
    private static final long STACK_SIZE = 16 * 1024;
    /** How far a spinner alone lets the scheduler look ahead: far, other CPUs and timers bound it. */
    private static final long SPIN_HORIZON_NS = 1L << 50;

    private final Machine machine;
    private final JavaText javaText;
    private final Supplier<KernelServices> services;
    private final List<Deque<Task>> runqueues = new ArrayList<>();
    private final Task[] current;
    private final List<Task> allTasks = new ArrayList<>();
    private final java.util.Map<Integer, TaskBody> continuations = new java.util.TreeMap<>();
    private final java.util.Map<Integer, String> continuationFunction = new java.util.TreeMap<>();
    private final long idlePad;
    private final long guestReturnPad;
    private long nextStackPhysical;
    private final long stackLimitPhysical;
    private int nextPid = 2;

    /**
     * @param stackArenaPhysical physical memory [start, end) the task stacks are carved from
     */
    public KernelScheduler(Machine machine, JavaText javaText, Supplier<KernelServices> services,
            long stackArenaStart, long stackArenaEnd) {
        this.machine = machine;
        this.javaText = javaText;
        this.services = services;
        this.current = new Task[machine.cpuCount()];
        for (int i = 0; i < machine.cpuCount(); i++) {
            runqueues.add(new ArrayDeque<>());
        }
        this.idlePad = javaText.pad("do_idle");
        this.guestReturnPad = javaText.pad("ret_from_guest_call");
        this.nextStackPhysical = stackArenaStart;
        this.stackLimitPhysical = stackArenaEnd;
    }

    /** Put every CPU in its idle loop (Java context) with interrupts on. */
    public void bootIdle() {
        for (Cpu cpu : machine.cpus()) {
            cpu.setReg(X86Reg.RIP, idlePad);
            cpu.setInterruptsEnabled(true);
        }
    }

    /** kthread_create_on_cpu + wake_up_process: a kernel thread bound to {@code cpu}. */
    public Task spawnKthread(String comm, int cpu, String function, TaskBody body) {
        return spawn(comm, OptionalInt.of(cpu), cpu, function, body, List.of(function, "kthread", "ret_from_fork"));
    }

    /** A kernel thread that may run anywhere, started on {@code cpu}. */
    public Task spawn(String comm, OptionalInt bound, int cpu, String function, TaskBody body, List<String> chain) {
        if (cpu < 0 || cpu >= machine.cpuCount()) {
            throw new IllegalArgumentException("CPU " + cpu + " does not exist");
        }
        if (comm.length() > 15) {
            throw new IllegalArgumentException("comm longer than 15 characters: " + comm);
        }
        if (nextStackPhysical + STACK_SIZE > stackLimitPhysical) {
            throw new IllegalStateException("no memory left for task stacks");
        }
        long stackTop = KernelLayout.directMap(nextStackPhysical + STACK_SIZE);
        nextStackPhysical += STACK_SIZE;
        Task task = new Task(nextPid++, comm, body, bound, cpu, javaText.pad(function), stackTop, chain);
        allTasks.add(task);
        runqueues.get(cpu).addLast(task);
        return task;
    }

    /** The task running on {@code cpu}, or null when the CPU idles. */
    public Task current(int cpu) {
        return current[cpu];
    }

    public List<Task> tasks() {
        return Collections.unmodifiableList(allTasks);
    }

    /** Move a runnable or sleeping task to another CPU's runqueue (it keeps no CPU state: x86 per-CPU data stays). */
    public void migrate(Task task, int cpu) {
        if (task.boundCpu().isPresent() && task.boundCpu().getAsInt() != cpu) {
            throw new IllegalArgumentException(task + " is bound to CPU " + task.boundCpu().getAsInt());
        }
        if (current[task.cpu] == task) {
            throw new IllegalStateException(task + " is running on CPU " + task.cpu + "; migrate it while it sleeps");
        }
        runqueues.get(task.cpu).remove(task);
        task.cpu = cpu;
        if (task.state == TaskState.RUNNING) {
            runqueues.get(cpu).addLast(task);
        }
    }

    /** wake_up_process. */
    public void wake(Task task) {
        if (task.state == TaskState.UNINTERRUPTIBLE) {
            task.state = TaskState.RUNNING;
            runqueues.get(task.cpu).addLast(task);
        }
    }

    /**
     * Run {@code body} on {@code cpu} from now on, in place of whatever the CPU was doing, with
     * interrupts off (panic's last steps, the crash stop): the CPU sits on the pad named
     * {@code function} and the interrupted context is abandoned, as code that never returns does.
     */
    public void runContinuation(Cpu cpu, String function, TaskBody body) {
        continuations.put(cpu.index(), body);
        continuationFunction.put(cpu.index(), function);
        continuationSpin[cpu.index()] = null;
        continuationBusy[cpu.index()] = 0;
        cpu.setReg(X86Reg.RIP, javaText.pad(function));
        cpu.setInterruptsEnabled(false);
    }

    /** make_task_dead: the current task of {@code cpu} is gone; the CPU goes on with something else. */
    public void killCurrent(Cpu cpu) {
        Task task = current[cpu.index()];
        if (task != null) {
            task.state = TaskState.DEAD;
            task.inGuestCall = false;
        }
        switchAway(cpu);
    }

    // ---- the executor ----

    @Override
    public boolean idle(Cpu cpu) {
        if (cpu.hasDeliverableEvent()) {
            return false;
        }
        if (cpu.state() != Cpu.State.RUNNING) {
            return true;
        }
        int index = cpu.index();
        return cpu.rip() == idlePad && current[index] == null && runqueues.get(index).isEmpty()
                && !continuations.containsKey(index);
    }

    @Override
    public long busyOnlyNs(Cpu cpu) {
        if (cpu.state() != Cpu.State.RUNNING || cpu.hasDeliverableEvent()) {
            return 0;
        }
        int index = cpu.index();
        long rip = cpu.rip();
        if (continuations.containsKey(index)) {
            if (!javaText.contains(rip)) {
                return 0;
            }
            return continuationSpin[index] != null ? spinHorizon(continuationSpin[index], index)
                    : continuationBusy[index];
        }
        Task task = current[index];
        if (task == null || task.inGuestCall || rip != task.pad()) {
            return 0;
        }
        return task.spinningOn != null ? spinHorizon(task.spinningOn, index) : task.busyRemaining;
    }

    /**
     * A CPU spinning on a lock another CPU holds changes nothing until that CPU acts, and the
     * owner's own horizon bounds the stretch; a lock that is free again ends it at once.
     */
    private static long spinHorizon(SpinLock lock, int cpu) {
        return lock.isLocked() && lock.ownerCpu() != cpu ? SPIN_HORIZON_NS : 0;
    }

    @Override
    public void execute(Cpu cpu, long budgetNs) {
        if (budgetNs <= 0) {
            return;
        }
        long rip = cpu.rip();
        if (cpu.hasDeliverableEvent() || !javaText.contains(rip)) {
            cpu.run(budgetNs);
            return;
        }
        int index = cpu.index();
        TaskBody continuation = continuations.get(index);
        if (continuation != null) {
            runContinuationStep(cpu, continuation, budgetNs);
            return;
        }
        if (rip == guestReturnPad) {
            finishGuestCall(cpu, current[index]);
        }
        Task task = current[index];
        if (task == null) {
            task = pickNext(cpu);
            if (task == null) {
                cpu.addIdleTime(budgetNs);
                return;
            }
        }
        runTask(cpu, task, budgetNs);
    }

    private final long[] continuationBusy = new long[256];
    private final SpinLock[] continuationSpin = new SpinLock[256];
    private final long[] continuationSpinSince = new long[256];

    /** The lock {@code cpu} spins on (its task's or its continuation's), or null. */
    public SpinLock spinningOn(int cpu) {
        if (continuations.containsKey(cpu)) {
            return continuationSpin[cpu];
        }
        Task task = current[cpu];
        return task == null ? null : task.spinningOn;
    }

    private final Task[] stepping = new Task[256];

    /**
     * From inside a task's step on {@code cpu}: run {@code call} (kernel code that takes time, such
     * as console_unlock inside printk) before what the step returns. False when {@code cpu} is not
     * running a task's step (an interrupt handler, an NMI, a panic path): the caller must do without.
     */
    public boolean callFromTask(int cpu, TaskBody call) {
        Task task = stepping[cpu];
        if (task == null) {
            return false;
        }
        task.calls.push(call);
        return true;
    }

    /** What {@code cpu} runs, in words: a never-returning path (over the task it interrupted), a task, or "". */
    public String describe(int cpu) {
        Task task = current[cpu];
        if (continuations.containsKey(cpu)) {
            return continuationFunction.get(cpu) + (task == null ? "" : ", interrupting " + task);
        }
        return task == null ? "" : task.toString();
    }

    /** Since when {@code cpu} spins on {@link #spinningOn}. */
    public long spinSince(int cpu) {
        if (continuations.containsKey(cpu)) {
            return continuationSpinSince[cpu];
        }
        Task task = current[cpu];
        return task == null ? 0 : task.spinSince;
    }

    private void runContinuationStep(Cpu cpu, TaskBody body, long budgetNs) {
        int index = cpu.index();
        if (continuationBusy[index] > 0) {
            long slice = Math.min(continuationBusy[index], budgetNs);
            cpu.addBusyTime(slice);
            continuationBusy[index] -= slice;
            return;
        }
        SpinLock spinning = continuationSpin[index];
        if (spinning != null) {
            if (!spinning.tryLock(index, function(cpu), cpu.now())) {
                cpu.addBusyTime(budgetNs); // printk_cpu_sync_wait / raw_spin_lock: cpu_relax() until free
                return;
            }
            continuationSpin[index] = null;
        }
        Action action = body.next(new TaskContext(current[index], cpu, services.get()));
        if (continuations.get(index) != body) {
            return; // the step handed the CPU to another continuation (panic() calling __crash_kexec)
        }
        switch (action) {
            case Action.Busy busy -> continuationBusy[index] = busy.ns();
            case Action.Acquire acquire -> {
                if (!acquire.lock().tryLock(index, function(cpu), cpu.now())) {
                    continuationSpin[index] = acquire.lock();
                    continuationSpinSince[index] = cpu.now();
                    cpu.addBusyTime(budgetNs);
                }
            }
            case Action.Exit exit -> continuations.remove(index);
            default -> throw new IllegalStateException("a continuation can only be busy, spin or exit, not " + action);
        }
    }

    /** Who holds a lock a continuation took: the CPU and the function it runs, as a trace names it. */
    private String function(Cpu cpu) {
        return "CPU " + cpu.index() + " in " + continuationFunction.get(cpu.index());
    }

    private Task pickNext(Cpu cpu) {
        Task next = runqueues.get(cpu.index()).pollFirst();
        if (next != null) {
            switchTo(cpu, next);
        }
        return next;
    }

    private void switchTo(Cpu cpu, Task task) {
        current[cpu.index()] = task;
        cpu.setReg(X86Reg.RIP, task.pad());
        cpu.setReg(X86Reg.RSP, task.stackTop());
        cpu.setInterruptsEnabled(task.irqsEnabled);
        machine.kernelSpace().writeLong(dev.nmilab.kernel.percpu.PerCpuArea.base(cpu.index())
                + dev.nmilab.kernel.percpu.PerCpuArea.CURRENT_PID, task.pid());
    }

    private void switchAway(Cpu cpu) {
        current[cpu.index()] = null;
        cpu.setReg(X86Reg.RIP, idlePad);
        cpu.setInterruptsEnabled(true);
        machine.kernelSpace().writeLong(dev.nmilab.kernel.percpu.PerCpuArea.base(cpu.index())
                + dev.nmilab.kernel.percpu.PerCpuArea.CURRENT_PID, 0);
    }

    private void runTask(Cpu cpu, Task task, long budgetNs) {
        if (task.busyRemaining > 0) {
            long slice = Math.min(task.busyRemaining, budgetNs);
            cpu.addBusyTime(slice);
            task.busyRemaining -= slice;
            return;
        }
        if (task.spinningOn != null) {
            SpinLock lock = task.spinningOn;
            if (!lock.tryLock(cpu.index(), task.toString(), cpu.now())) {
                cpu.addBusyTime(budgetNs); // raw_spin_lock: spin until the owner lets go
                return;
            }
            task.spinningOn = null;
        }
        TaskContext context = new TaskContext(task, cpu, services.get());
        for (int steps = 0; steps < MAX_ZERO_TIME_STEPS; steps++) {
            Action action;
            if (task.resume != null) {
                action = task.resume;
                task.resume = null;
            } else {
                int depth = task.calls.size();
                TaskBody body = depth == 0 ? task.body() : task.calls.peek();
                stepping[cpu.index()] = task;
                try {
                    action = body.next(context);
                } finally {
                    stepping[cpu.index()] = null;
                }
                if (cpu.state() != Cpu.State.RUNNING || current[cpu.index()] != task) {
                    return; // the body panicked or halted this CPU
                }
                if (task.calls.size() > depth) {
                    task.afterCalls.push(action); // carried out when the call it made returns
                    continue;
                }
                if (depth > 0 && action instanceof Action.Exit) {
                    task.calls.pop();
                    task.resume = task.afterCalls.pop();
                    continue;
                }
            }
            switch (action) {
                case Action.Busy busy -> {
                    task.busyRemaining = busy.ns();
                    runTask(cpu, task, budgetNs);
                    return;
                }
                case Action.Sleep sleep -> {
                    task.state = TaskState.UNINTERRUPTIBLE;
                    long wakeAt = Math.max(cpu.now() + sleep.ns(), machine.scheduler().now());
                    machine.scheduler().at(wakeAt, () -> wake(task));
                    switchAway(cpu);
                    return;
                }
                case Action.Wait wait -> {
                    task.state = TaskState.UNINTERRUPTIBLE;
                    switchAway(cpu);
                    return;
                }
                case Action.CallGuest call -> {
                    startGuestCall(cpu, task, call);
                    return;
                }
                case Action.Acquire acquire -> {
                    if (!acquire.lock().tryLock(cpu.index(), task.toString(), cpu.now())) {
                        task.spinningOn = acquire.lock();
                        task.spinSince = cpu.now();
                        cpu.addBusyTime(budgetNs);
                        return;
                    }
                }
                case Action.Exit exit -> {
                    task.state = TaskState.DEAD;
                    switchAway(cpu);
                    return;
                }
            }
        }
        throw new IllegalStateException(task + " made " + MAX_ZERO_TIME_STEPS + " steps without taking any time");
    }

    private static final X86Reg[] ARGUMENTS = {X86Reg.RDI, X86Reg.RSI, X86Reg.RDX, X86Reg.RCX, X86Reg.R8, X86Reg.R9};

    private void startGuestCall(Cpu cpu, Task task, Action.CallGuest call) {
        long rsp = (cpu.reg(X86Reg.RSP) & ~0xfL) - 8;
        machine.kernelSpace().writeLong(rsp, guestReturnPad);
        cpu.setReg(X86Reg.RSP, rsp);
        for (int i = 0; i < call.args().length; i++) {
            cpu.setReg(ARGUMENTS[i], call.args()[i]);
        }
        cpu.setReg(X86Reg.RIP, call.address());
        task.inGuestCall = true;
    }

    private void finishGuestCall(Cpu cpu, Task task) {
        if (task == null || !task.inGuestCall) {
            throw new IllegalStateException("CPU " + cpu.index() + " returned to " + "ret_from_guest_call"
                    + " with no guest call in progress");
        }
        task.inGuestCall = false;
        task.guestResult = cpu.reg(X86Reg.RAX);
        cpu.setReg(X86Reg.RIP, task.pad());
    }
}
