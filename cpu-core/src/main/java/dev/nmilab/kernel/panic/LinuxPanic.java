package dev.nmilab.kernel.panic;

import dev.nmilab.kernel.printk.LogLevel;
import dev.nmilab.kernel.printk.Printk;
import dev.nmilab.kernel.sysctl.Sysctls;
import dev.nmilab.kernel.task.KernelScheduler;
import dev.nmilab.smp.Machine;
import dev.nmilab.x86.Cpu;

/**
 * panic() as kernel/panic.c of 6.1 orders it, for one CPU: the message, dump_stack (unless an
 * oops already printed one), stopping the other CPUs, the panic notifiers (x86's
 * "Kernel Offset: disabled"), then either "Rebooting in N seconds.." and a reset after N
 * seconds of virtual time (panic=N), an immediate reset (panic=-1), or the end marker and a
 * CPU that never comes back. console_flush_on_panic follows the notifiers, so records an
 * NMI-context panic deferred reach the console only there, after crash_kexec had its chance.
 * The other CPUs are stopped directly here; stopping them with NMI IPIs, panic_cpu and
 * crash_kexec belong to the kdump module.
 */
public final class LinuxPanic implements Panic {
    private final Machine machine;
    private final Printk printk;
    private final Sysctls sysctls;
    private final KernelOutcome outcome;
    private Die die;
    private KernelScheduler scheduler;
    private boolean inProgress;
    private int panicCpu = -1;
    private CrashKexec crashKexec = cpu -> false;
    private SelfStop selfStop = this::haltSelf;
    private PanicPath path;

    public LinuxPanic(Machine machine, Printk printk, Sysctls sysctls, KernelOutcome outcome) {
        this.machine = machine;
        this.printk = printk;
        this.sysctls = sysctls;
        this.outcome = outcome;
    }

    /** die() and panic() call each other; wire the other half after both exist. */
    public void connect(Die die, KernelScheduler scheduler) {
        this.die = die;
        this.scheduler = scheduler;
    }

    @Override
    public boolean inProgress() {
        return inProgress;
    }

    @Override
    public int panicCpu() {
        return panicCpu;
    }

    @Override
    public void setCrashKexec(CrashKexec crashKexec) {
        this.crashKexec = crashKexec;
    }

    private void haltSelf(int cpu, boolean inNmi) {
        machine.cpu(cpu).haltForever(inNmi ? "nmi_panic_self_stop" : "panic_smp_self_stop");
    }

    @Override
    public void setSelfStop(SelfStop selfStop) {
        this.selfStop = selfStop;
    }

    @Override
    public void setPanicPath(PanicPath path) {
        this.path = path;
    }

    @Override
    public void panic(int cpu, String message) {
        Cpu self = machine.cpu(cpu);
        if (path != null) {
            if (!inProgress) {
                inProgress = true;
                panicCpu = cpu;
            }
            path.panic(cpu, message, die != null && "NMI".equals(die.interruptContext(cpu)));
            return;
        }
        if (inProgress) {
            // panic_cpu is taken: only the first CPU goes on (kernel/panic.c: panic, nmi_panic)
            selfStop.stop(cpu, die != null && "NMI".equals(die.interruptContext(cpu)));
            return;
        }
        inProgress = true;
        panicCpu = cpu;
        long now = self.now();
        outcome.panicked(cpu, message, now);
        machine.events().publish(new dev.nmilab.event.Note(now, cpu, "panic", message)); // an instant in trace.json
        emerg(cpu, "Kernel panic - not syncing: " + message);
        if (!die.tainted()) {
            die.printInfo(cpu, scheduler.current(cpu));
            die.callTrace(cpu, scheduler.current(cpu), die.interruptContext(cpu),
                    java.util.List.of("dump_stack_lvl", "panic"));
        }
        if (crashKexec.crashKexec(cpu)) {
            return; // __crash_kexec: the kdump path owns this CPU now
        }
        for (Cpu other : machine.cpus()) {
            if (other != self && other.state() == Cpu.State.RUNNING) {
                other.haltForever("stopped by panic on CPU " + cpu);
            }
        }
        emerg(cpu, "Kernel Offset: disabled");
        printk.consoleFlushOnPanic(cpu);
        int timeout = sysctls.intValue("kernel.panic");
        if (timeout > 0) {
            emerg(cpu, "Rebooting in " + timeout + " seconds..");
            self.haltForever("panic: rebooting in " + timeout + " s");
            long resetAt = Math.max(now, machine.scheduler().now()) + timeout * 1_000_000_000L;
            printk.consoleHandOver(resetAt);
            machine.scheduler().at(resetAt, () -> {
                outcome.ended(KernelOutcome.Ending.RESET, "emergency_restart after panic=" + timeout);
                machine.scheduler().stop("reset");
            });
            return;
        }
        if (timeout < 0) {
            self.haltForever("panic: immediate reboot");
            printk.consoleHandOver(now);
            outcome.ended(KernelOutcome.Ending.RESET, "emergency_restart after panic=" + timeout);
            machine.scheduler().stop("reset");
            return;
        }
        emerg(cpu, "---[ end Kernel panic - not syncing: " + message + " ]---");
        printk.consoleFlushOnPanic(cpu); // local_irq_enable(): the irq_work of an NMI-context panic prints it
        self.haltForever("panic");
        outcome.ended(KernelOutcome.Ending.HALTED, "panic on CPU " + cpu + ": " + message);
        machine.scheduler().stop("panic");
    }

    private void emerg(int cpu, String text) {
        printk.printk(cpu, LogLevel.KERN_EMERG, text);
    }
}
