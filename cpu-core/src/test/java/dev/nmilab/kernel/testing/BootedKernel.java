package dev.nmilab.kernel.testing;

import dev.nmilab.asm.AssemblyException;
import dev.nmilab.kernel.cmdline.KernelCommandLine;
import dev.nmilab.kernel.runtime.KernelIdentity;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.sysctl.Sysctls;
import dev.nmilab.kernel.task.KernelScheduler;
import dev.nmilab.smp.Machine;
import dev.nmilab.smp.Scheduler;
import java.util.List;
import java.util.Optional;

/**
 * A real machine with the kernel runtime booted into its idle loop, built the way the scenario
 * runner builds one (runtime stub only, linux-6.1 sysctls and identity); for tests of the runtime.
 */
public final class BootedKernel implements AutoCloseable {
    public static final long MEMORY = 64L << 20;

    private final Machine machine;
    private final KernelRuntime runtime;

    private BootedKernel(Machine machine, KernelRuntime runtime) {
        this.machine = machine;
        this.runtime = runtime;
    }

    /** Boot {@code cpus} CPUs with {@code cmdline} (e.g. "oops=panic panic=0"). */
    public static BootedKernel boot(int cpus, String cmdline) throws AssemblyException {
        Machine machine = new Machine(cpus, MEMORY);
        try {
            KernelRuntime runtime = new KernelRuntime(machine, KernelCommandLine.parse(cmdline), Sysctls.linux61(),
                    KernelIdentity.linux61());
            runtime.loadStubs(List.of());
            runtime.boot(Optional.empty());
            return new BootedKernel(machine, runtime);
        } catch (RuntimeException | AssemblyException e) {
            machine.close();
            throw e;
        }
    }

    public Machine machine() {
        return machine;
    }

    public KernelRuntime runtime() {
        return runtime;
    }

    public KernelScheduler tasks() {
        return runtime.services().scheduler();
    }

    /** Run until {@code timeNs} of virtual time (or an earlier stop), with no instruction limit. */
    public Scheduler.RunResult runUntil(long timeNs) {
        return machine.scheduler().run(timeNs, Long.MAX_VALUE);
    }

    @Override
    public void close() {
        machine.close();
    }
}
