package dev.nmilab.run;

import dev.nmilab.kernel.lock.HangDetector;
import dev.nmilab.kernel.panic.KernelOutcome;
import dev.nmilab.scenario.Verdict;
import dev.nmilab.smp.Machine;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.x86.Cpu;
import java.util.ArrayList;
import java.util.List;

/**
 * From how the run ended to a verdict and its reason: the kernel's own ending (a panic that
 * halted or reset, a saved vmcore) first; then a CPU shutdown (the board resets); a detected
 * hang; an instruction limit reached while code was still running (the scenario's bound on
 * "should have finished"); CPUs all halted with interrupts off; otherwise the machine survived
 * the observed time.
 */
public final class Verdicts {
    public record Decision(Verdict verdict, String reason, List<String> chain) {
    }

    private Verdicts() {
    }

    /** The first wait-for cycle among the spinning CPUs, as "CPU a (lock) -> CPU b (lock) -> CPU a". */
    private static java.util.Optional<String> cycle(List<HangDetector.Wait> hang) {
        java.util.Map<Integer, HangDetector.Wait> byCpu = new java.util.TreeMap<>();
        hang.stream().filter(wait -> !wait.lock().isEmpty()).forEach(wait -> byCpu.put(wait.cpu(), wait));
        for (int start : byCpu.keySet()) {
            List<Integer> path = new ArrayList<>();
            Integer at = start;
            while (at != null && byCpu.containsKey(at) && !path.contains(at)) {
                path.add(at);
                at = byCpu.get(at).ownerCpu();
            }
            if (at != null && at == start) {
                StringBuilder text = new StringBuilder("wait-for cycle: ");
                for (int cpu : path) {
                    text.append("CPU ").append(cpu).append(" (").append(byCpu.get(cpu).lock()).append(") -> ");
                }
                return java.util.Optional.of(text.append("CPU ").append(start).toString());
            }
        }
        return java.util.Optional.empty();
    }

    static Decision decide(Machine machine, Scheduler.RunResult result, KernelOutcome outcome,
            List<HangDetector.Wait> hang) {
        switch (outcome.ending()) {
            case HALTED -> {
                return new Decision(Verdict.HALTED, outcome.detail(), List.of());
            }
            case RESET -> {
                return new Decision(Verdict.RESET, outcome.detail(), List.of());
            }
            case VMCORE_SAVED -> {
                return new Decision(Verdict.VMCORE_SAVED, outcome.detail(), List.of());
            }
            case NONE -> {
            }
        }
        if (result.outcome() == Scheduler.Outcome.SHUTDOWN) {
            Cpu down = machine.cpus().stream().filter(c -> c.state() == Cpu.State.SHUTDOWN).findFirst().orElseThrow();
            return new Decision(Verdict.RESET, "CPU " + down.index() + " shut down (" + down.shutdownReason()
                    + "): the board resets", List.of());
        }
        if (result.outcome() == Scheduler.Outcome.NO_PROGRESS) {
            return new Decision(Verdict.HANG, result.stopReason(), List.of());
        }
        if (hang != null) {
            List<String> chain = new ArrayList<>();
            for (HangDetector.Wait wait : hang) {
                chain.add(wait.lock().isEmpty()
                        ? String.format("CPU %d %s", wait.cpu(), wait.state())
                        : String.format("CPU %d%s spins on %s held by CPU %d (%s) since %d ns", wait.cpu(),
                                wait.task().isEmpty() ? "" : " (" + wait.task() + ")", wait.lock(), wait.ownerCpu(),
                                wait.owner(), wait.sinceNs()));
            }
            cycle(hang).ifPresent(chain::add);
            return new Decision(Verdict.HANG, "no CPU can make progress", chain);
        }
        if (result.outcome() == Scheduler.Outcome.INSTRUCTION_LIMIT) {
            List<String> where = new ArrayList<>();
            for (Cpu cpu : machine.cpus()) {
                where.add("CPU " + cpu.index() + " " + cpu.state() + " at " + cpu.where());
            }
            return new Decision(Verdict.HANG, "instruction limit reached while code was still running", where);
        }
        if (result.outcome() == Scheduler.Outcome.ALL_HALTED
                && machine.cpus().stream().noneMatch(Cpu::interruptsEnabled)) {
            return new Decision(Verdict.HANG, "every CPU halted with interrupts off", List.of());
        }
        return new Decision(Verdict.SURVIVED, "the machine was still running at the end ("
                + result.outcome().name().toLowerCase(java.util.Locale.ROOT) + ")", List.of());
    }
}
