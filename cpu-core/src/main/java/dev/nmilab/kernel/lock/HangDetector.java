package dev.nmilab.kernel.lock;

import dev.nmilab.kernel.task.KernelScheduler;
import dev.nmilab.smp.Machine;
import dev.nmilab.x86.Cpu;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides that no CPU can make progress any more: every CPU is halted for good, or spins on a
 * lock whose owner's CPU is itself halted or spinning. Then it names who waits for what.
 * Interrupts that might still arrive (a timer, a device) keep the machine alive: the caller only
 * asks when nothing is scheduled that could change the picture.
 */
public final class HangDetector {
    private final Machine machine;
    private final KernelScheduler scheduler;

    public HangDetector(Machine machine, KernelScheduler scheduler) {
        this.machine = machine;
        this.scheduler = scheduler;
    }

    /** One edge of the wait-for graph, in words. */
    public record Wait(int cpu, String task, String lock, int ownerCpu, String owner, long sinceNs, String state) {
    }

    /** The wait-for picture when every CPU is stuck, or empty while some CPU can still progress. */
    public Optional<List<Wait>> stuck() {
        List<Wait> waits = new ArrayList<>();
        for (int c = 0, count = machine.cpuCount(); c < count; c++) {
            Cpu cpu = machine.cpu(c);
            SpinLock lock = scheduler.spinningOn(cpu.index());
            if (cpu.state() == Cpu.State.RUNNING && lock != null && lock.isLocked() && !cpu.hasDeliverableEvent()
                    && ownerCannotRelease(lock.ownerCpu(), 0)) {
                waits.add(new Wait(cpu.index(), scheduler.describe(cpu.index()), lock.name(), lock.ownerCpu(),
                        lock.ownerName(), scheduler.spinSince(cpu.index()), "spinning"));
            } else if (cpu.state() == Cpu.State.HALTED && !cpu.interruptsEnabled() && !cpu.hasDeliverableEvent()) {
                waits.add(new Wait(cpu.index(), scheduler.describe(cpu.index()), "", -1, "", cpu.now(),
                        "halted with interrupts off"));
            } else if (cpu.state() == Cpu.State.SHUTDOWN) {
                waits.add(new Wait(cpu.index(), "", "", -1, "", cpu.now(), "shut down"));
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(waits);
    }

    private boolean ownerCannotRelease(int ownerCpu, int depth) {
        if (ownerCpu < 0 || depth > machine.cpuCount()) {
            return true; // a cycle: everyone on it waits
        }
        Cpu owner = machine.cpu(ownerCpu);
        if (owner.state() != Cpu.State.RUNNING) {
            return true;
        }
        SpinLock lock = scheduler.spinningOn(ownerCpu);
        return lock != null && lock.isLocked() && !owner.hasDeliverableEvent()
                && ownerCannotRelease(lock.ownerCpu(), depth + 1);
    }
}
