package dev.nmilab.nmi;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.util.Modules;
import dev.nmilab.apic.ApicModule;
import dev.nmilab.apic.ApicSubsystem;
import dev.nmilab.asm.AssemblyException;
import dev.nmilab.event.EventLog;
import dev.nmilab.kernel.cmdline.KernelCommandLine;
import dev.nmilab.kernel.panic.KernelOutcome;
import dev.nmilab.kernel.profile.KernelModule;
import dev.nmilab.kernel.runtime.KernelIdentity;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.runtime.KernelSubsystem;
import dev.nmilab.kernel.sysctl.Sysctls;
import dev.nmilab.smp.Machine;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.x86.Cpu;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A machine booted into its idle loop with the APIC and NMI subsystems, wired as the scenario
 * runner wires them (KernelModule, ApicModule, NmiModule through Guice, installed in binding
 * order before the stubs are loaded), for tests of the NMI paths on the real engine.
 */
final class NmiTestKernel implements AutoCloseable {
    static final long MEMORY = 64L << 20;
    static final long MS = 1_000_000L;
    static final String WATCHDOG_ENABLED = "NMI watchdog: Enabled. Permanently consumes one hw-PMU counter.";

    final Machine machine;
    final KernelRuntime runtime;
    final NmiSubsystem nmi;
    final ApicSubsystem apic;
    final PlatformNmiEvent platformEvent;
    final EventLog events = new EventLog();

    private NmiTestKernel(Machine machine, KernelRuntime runtime, Injector injector) {
        this.machine = machine;
        this.runtime = runtime;
        this.nmi = injector.getInstance(NmiSubsystem.class);
        this.apic = injector.getInstance(ApicSubsystem.class);
        this.platformEvent = injector.getInstance(PlatformNmiEvent.class);
        machine.events().subscribe(events);
    }

    /** Boot {@code cpus} CPUs with {@code cmdline} and the linux-6.1 sysctls changed by {@code sysctls}. */
    static NmiTestKernel boot(int cpus, String cmdline, Map<String, String> sysctls) throws AssemblyException {
        Injector injector = Guice.createInjector(Modules.override(new KernelModule(), new ApicModule(), new NmiModule())
                .with(new AbstractModule() { }));
        Sysctls table = Sysctls.linux61();
        sysctls.forEach(table::write);
        Machine machine = new Machine(cpus, MEMORY);
        try {
            KernelRuntime runtime = new KernelRuntime(machine, KernelCommandLine.parse(cmdline), table,
                    injector.getInstance(KernelIdentity.class));
            injector.getInstance(Key.get(new TypeLiteral<Set<KernelSubsystem>>() { })).forEach(runtime::install);
            runtime.loadStubs(List.of());
            runtime.boot(Optional.empty());
            return new NmiTestKernel(machine, runtime, injector);
        } catch (RuntimeException | AssemblyException e) {
            machine.close();
            throw e;
        }
    }

    static NmiTestKernel boot(int cpus) throws AssemblyException {
        return boot(cpus, "", Map.of());
    }

    Cpu cpu(int index) {
        return machine.cpu(index);
    }

    NmiHandlers handlers() {
        return nmi.handlers();
    }

    NmiStats stats(int cpu) {
        return nmi.defaultDoNmi().stats(cpu);
    }

    KernelOutcome outcome() {
        return runtime.services().outcome();
    }

    /** An NMI raised straight at {@code cpu} (as an NMI IPI would) at {@code timeNs}. */
    void nmiAt(long timeNs, int cpu) {
        machine.scheduler().at(timeNs, () -> machine.cpu(cpu).raiseNmi("test"));
    }

    /** The board's NMI through the BSP's LINT1 at {@code timeNs}, with the reason-port lines asked for. */
    void platformNmiAt(long timeNs, boolean serr, boolean iochk) {
        machine.scheduler().at(timeNs, () -> platformEvent.apply(runtime, new PlatformNmiEvent.Spec(0, serr, iochk)));
    }

    Scheduler.RunResult runUntil(long timeNs) {
        return machine.scheduler().run(timeNs, Long.MAX_VALUE);
    }

    /** The console so far, one entry per line, without the "[    0.001000] " time stamps. */
    List<String> console() {
        return runtime.services().printk().consoleText().lines()
                .map(line -> line.startsWith("[") ? line.substring(line.indexOf("] ") + 2) : line)
                .toList();
    }

    /** The console without the watchdog's boot-time "NMI watchdog: Enabled..." line. */
    List<String> consoleAfterBoot() {
        return console().stream().filter(line -> !line.equals(WATCHDOG_ENABLED)).toList();
    }

    @Override
    public void close() {
        machine.close();
    }
}
