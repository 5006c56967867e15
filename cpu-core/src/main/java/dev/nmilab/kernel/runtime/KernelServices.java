package dev.nmilab.kernel.runtime;

import dev.nmilab.kernel.cmdline.KernelCommandLine;
import dev.nmilab.kernel.panic.Die;
import dev.nmilab.kernel.panic.KernelOutcome;
import dev.nmilab.kernel.panic.Panic;
import dev.nmilab.kernel.printk.Printk;
import dev.nmilab.kernel.sysctl.Sysctls;
import dev.nmilab.kernel.task.KernelScheduler;
import dev.nmilab.smp.Machine;

/** The kernel's services as Java kernel code (task bodies, gates, subsystems) reaches them. */
public record KernelServices(Machine machine, KernelCommandLine cmdline, Sysctls sysctls, Printk printk, Panic panic,
        Die die, KernelScheduler scheduler, KernelOutcome outcome, KernelIdentity identity) {
}
