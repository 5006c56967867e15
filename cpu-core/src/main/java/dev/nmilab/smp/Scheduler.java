package dev.nmilab.smp;

import dev.nmilab.x86.Cpu;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Runs the CPUs in virtual time, deterministically. Time advances in windows of at most one
 * quantum; in each window every CPU, in index order, retires instructions (one nanosecond each)
 * or idles until the window's end. Stretches in which every CPU only idles or spends Java busy
 * time run as one longer window that ends where the quantum-long ones would have. Timed actions fire exactly at window ends (a window never
 * crosses one); instruction-count actions fire at that exact count on their CPU; symbol actions
 * fire when the CPU is about to execute the instruction at the symbol. An action one CPU
 * causes on another (an IPI) lands at the target's own time, so CPUs may differ by up to one
 * quantum: that is the price of running engines one after the other. A CPU whose engine
 * counts whole translation blocks may stop up to one block before a window's end (stopping
 * inside a block costs a translation) and carries the rest into the next window; instruction
 * counts that matter (triggers, the instruction limit) are still hit exactly.
 */
public final class Scheduler {
    public enum Outcome { ALL_HALTED, SHUTDOWN, TIME_LIMIT, INSTRUCTION_LIMIT, STOPPED, NO_PROGRESS }

    /**
     * Runs in a row in which a CPU retired nothing and its time did not move: an exception storm
     * (a handler that faults on its own first fetch, over and over). Hardware would loop forever;
     * the run ends and says where.
     */
    public static final int NO_PROGRESS_RUNS = 10_000;

    public record RunResult(Outcome outcome, long timeNs, long instructions, String stopReason) {
    }

    private record Timed(long timeNs, long sequence, Runnable action) {
    }

    private final Machine machine;
    private final PriorityQueue<Timed> timed = new PriorityQueue<>((a, b) -> a.timeNs != b.timeNs
            ? Long.compare(a.timeNs, b.timeNs) : Long.compare(a.sequence, b.sequence));
    private final List<TreeMap<Long, List<Runnable>>> byInstruction = new ArrayList<>();
    private final List<Runnable> windowEndActions = new ArrayList<>();
    private final List<java.util.function.LongSupplier> windowEndDeadlines = new ArrayList<>();
    private CpuExecutor executor = CpuExecutor.INSTRUCTIONS;
    private long sequence;
    private String noProgress;
    private long quantum = 10_000;
    private boolean skipBusyWindows = true;
    private boolean shortWindowEnds = true;
    private long windows;
    private long now;
    private String stopReason;

    Scheduler(Machine machine) {
        this.machine = machine;
    }

    public void setQuantum(long instructions) {
        if (instructions < 1) {
            throw new IllegalArgumentException("quantum must be at least one instruction");
        }
        quantum = instructions;
    }

    public void setExecutor(CpuExecutor executor) {
        this.executor = executor;
    }

    public long quantum() {
        return quantum;
    }

    /** Whether windows of pure Java busy time run as one (on by default; off to check it changes nothing). */
    public void setSkipBusyWindows(boolean skip) {
        skipBusyWindows = skip;
    }

    /**
     * Whether a CPU may stop up to one translation block before a window's end (on by default:
     * stopping inside a block costs a translation; off for runs that must match an engine
     * counting instructions one by one, window for window).
     */
    public void setShortWindowEnds(boolean allowed) {
        shortWindowEnds = allowed;
    }

    /** Windows run so far. */
    public long windows() {
        return windows;
    }

    /** Global virtual time: the end of the last completed window. */
    public long now() {
        return now;
    }

    /** Run {@code action} when global virtual time reaches {@code timeNs}. */
    public void at(long timeNs, Runnable action) {
        if (timeNs < now) {
            throw new IllegalArgumentException("time " + timeNs + " ns is in the past (now " + now + " ns)");
        }
        timed.add(new Timed(timeNs, sequence++, action));
    }

    /** Run {@code action} when {@code cpu} has retired exactly {@code count} instructions. */
    public void afterInstructions(int cpu, long count, Runnable action) {
        while (byInstruction.size() <= cpu) {
            byInstruction.add(new TreeMap<>());
        }
        byInstruction.get(cpu).computeIfAbsent(count, c -> new ArrayList<>()).add(action);
    }

    /**
     * Run {@code action} the {@code nth} time {@code cpu} is about to execute the instruction at
     * {@code address}, with that instruction not yet executed.
     */
    public void atAddress(int cpu, long address, int nth, Runnable action) {
        Cpu target = machine.cpu(cpu);
        int[] seen = {0};
        AutoCloseable[] self = new AutoCloseable[1];
        self[0] = target.engine().addSiteHook(address, (a, size) -> {
            if (++seen[0] == nth) {
                target.engine().counter().uncount();
                target.requestStop();
                action.run();
                closeQuietly(self[0]);
            }
        });
    }

    private static void closeQuietly(AutoCloseable hook) {
        try {
            hook.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Run {@code action} at the end of every window, after the timed actions due then (device polling). */
    public void onWindowEnd(Runnable action) {
        windowEndActions.add(action);
    }

    /**
     * A window-end action that only matters from a certain time on (a counter's overflow):
     * {@code earliest} says the soonest global time at which it could have something to do, so
     * windows skipped over busy time still end on the window that would have seen it.
     */
    public void windowEndDeadline(java.util.function.LongSupplier earliest) {
        windowEndDeadlines.add(earliest);
    }

    /** Ask the run to end after the current window (a panic that halts the machine, for example). */
    public void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        for (int c = 0, count = machine.cpuCount(); c < count; c++) {
            Cpu cpu = machine.cpu(c);
            cpu.requestStop();
        }
    }

    public RunResult run(long timeLimitNs, long instructionLimit) {
        while (true) {
            if (noProgress != null) {
                return new RunResult(Outcome.NO_PROGRESS, now, totalInstructions(), noProgress);
            }
            if (stopReason != null) {
                return result(Outcome.STOPPED);
            }
            if (anyShutdown()) {
                return result(Outcome.SHUTDOWN);
            }
            if (allHalted() && timed.isEmpty()) {
                return result(Outcome.ALL_HALTED);
            }
            if (now >= timeLimitNs) {
                return result(Outcome.TIME_LIMIT);
            }
            if (totalInstructions() >= instructionLimit) {
                return result(Outcome.INSTRUCTION_LIMIT);
            }
            long windowEnd = Math.min(now + quantum, timeLimitNs);
            if (allIdle()) {
                windowEnd = timeLimitNs; // nothing runs until a timed action: skip ahead to it
            } else if (skipBusyWindows) {
                windowEnd = Math.min(Math.max(windowEnd, busySkipEnd()), timeLimitNs);
            }
            if (!timed.isEmpty()) {
                windowEnd = Math.min(windowEnd, timed.peek().timeNs);
            }
            windows++;
            long remaining = instructionLimit - totalInstructions();
            for (int c = 0, count = machine.cpuCount(); c < count; c++) {
                Cpu cpu = machine.cpu(c);
                runUntil(cpu, windowEnd, remaining);
                remaining = instructionLimit - totalInstructions();
                if (stopReason != null || cpu.state() == Cpu.State.SHUTDOWN) {
                    break;
                }
            }
            if (stopReason != null || anyShutdown() || noProgress != null) {
                continue;
            }
            now = windowEnd;
            while (!timed.isEmpty() && timed.peek().timeNs <= now) {
                timed.poll().action.run();
            }
            windowEndActions.forEach(Runnable::run);
        }
    }

    private void runUntil(Cpu cpu, long windowEnd, long remainingInstructions) {
        int stalled = 0;
        while (cpu.localTimeNs() < windowEnd && stopReason == null && noProgress == null) {
            TreeMap<Long, List<Runnable>> triggers = triggersOf(cpu); // a hook may add some mid-window
            fireInstructionTriggers(cpu, triggers);
            if (cpu.state() != Cpu.State.RUNNING) {
                if (cpu.state() == Cpu.State.HALTED) {
                    cpu.addIdleTime(windowEnd - cpu.localTimeNs());
                }
                return;
            }
            long exact = Math.max(0, remainingInstructions); // counts that must be hit on the instruction
            if (!triggers.isEmpty()) {
                exact = Math.min(exact, triggers.firstKey() - cpu.instructions());
            }
            long toWindowEnd = windowEnd - cpu.localTimeNs();
            long budget = Math.min(toWindowEnd, exact);
            if (budget <= 0 && remainingInstructions <= 0) {
                return;
            }
            long before = cpu.instructions();
            long timeBefore = cpu.localTimeNs();
            cpu.setShortRunsAllowed(shortWindowEnds && toWindowEnd < exact);
            boolean endedShort;
            try {
                executor.execute(cpu, Math.max(budget, 0));
                endedShort = cpu.endedShort();
            } finally {
                cpu.setShortRunsAllowed(false);
            }
            remainingInstructions -= cpu.instructions() - before;
            if (endedShort) {
                break; // the next block does not fit before the window's end: it runs in the next window
            }
            if (cpu.localTimeNs() == timeBefore && cpu.state() == Cpu.State.RUNNING) {
                if (++stalled >= NO_PROGRESS_RUNS) {
                    noProgress = String.format("CPU %d made no progress: %d deliveries in a row without retiring an "
                            + "instruction, at %s", cpu.index(), stalled, cpu.where());
                }
            } else {
                stalled = 0;
            }
        }
        fireInstructionTriggers(cpu, triggersOf(cpu));
    }

    private TreeMap<Long, List<Runnable>> triggersOf(Cpu cpu) {
        while (byInstruction.size() <= cpu.index()) {
            byInstruction.add(new TreeMap<>());
        }
        return byInstruction.get(cpu.index());
    }

    private static void fireInstructionTriggers(Cpu cpu, TreeMap<Long, List<Runnable>> triggers) {
        while (!triggers.isEmpty() && triggers.firstKey() <= cpu.instructions()) {
            triggers.pollFirstEntry().getValue().forEach(Runnable::run);
        }
    }

    private boolean allIdle() {
        for (int c = 0, count = machine.cpuCount(); c < count; c++) {
            Cpu cpu = machine.cpu(c);
            if (cpu.localTimeNs() > now || !executor.idle(cpu)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The end of the last of the windows in which every CPU only idles or spends opaque Java busy
     * time (a panic's mdelay, a capture kernel booting): those windows would change nothing but
     * the clocks, so they are run as one. The end stays on the grid of quantum-long windows from
     * now, before the first busy CPU could act and at or before the first window end a deadline
     * needs, so every later window, and so the whole run, is the same as without the skip.
     */
    private long busySkipEnd() {
        long horizon = Long.MAX_VALUE;
        for (int c = 0, count = machine.cpuCount(); c < count; c++) {
            Cpu cpu = machine.cpu(c);
            if (cpu.localTimeNs() != now) {
                return now;
            }
            if (executor.idle(cpu)) {
                continue;
            }
            long busy = executor.busyOnlyNs(cpu);
            if (busy <= 0) {
                return now;
            }
            horizon = Math.min(horizon, now + busy);
        }
        long end = now + (horizon - now) / quantum * quantum;
        for (java.util.function.LongSupplier deadline : windowEndDeadlines) {
            long due = Math.max(deadline.getAsLong(), now + 1);
            if (due < end) {
                end = Math.min(end, now + Math.ceilDiv(due - now, quantum) * quantum);
            }
        }
        return end;
    }

    private boolean anyShutdown() {
        for (int c = 0, count = machine.cpuCount(); c < count; c++) {
            Cpu cpu = machine.cpu(c);
            if (cpu.state() == Cpu.State.SHUTDOWN) {
                return true;
            }
        }
        return false;
    }

    private boolean allHalted() {
        for (int c = 0, count = machine.cpuCount(); c < count; c++) {
            Cpu cpu = machine.cpu(c);
            if (cpu.state() == Cpu.State.RUNNING) {
                return false;
            }
        }
        return true;
    }

    private long totalInstructions() {
        long total = 0;
        for (int c = 0, count = machine.cpuCount(); c < count; c++) {
            Cpu cpu = machine.cpu(c);
            total += cpu.instructions();
        }
        return total;
    }

    private RunResult result(Outcome outcome) {
        return new RunResult(outcome, now, totalInstructions(), stopReason);
    }
}
