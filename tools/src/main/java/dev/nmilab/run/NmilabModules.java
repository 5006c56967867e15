package dev.nmilab.run;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.util.Modules;
import dev.nmilab.apic.ApicModule;
import dev.nmilab.kdump.kexec.KdumpModule;
import dev.nmilab.kernel.profile.KernelModule;
import dev.nmilab.kernel.profile.KernelProfile;
import dev.nmilab.kernel.runtime.KernelSubsystem;
import dev.nmilab.kernel.runtime.ScenarioEventHandler;
import dev.nmilab.kernel.workload.Workload;
import dev.nmilab.nmi.NmiModule;
import java.util.Map;
import java.util.Set;

/** The kernel a profile describes: the default modules with the profile's overrides, as an injector. */
public final class NmilabModules {
    private final Injector injector;

    public NmilabModules(KernelProfile profile) {
        // subsystems install in binding order: the APIC before the NMI subsystem that routes through it
        injector = Guice.createInjector(Modules.override(new KernelModule(), new ApicModule(), new NmiModule(),
                new KdumpModule())
                .with(profile.overrides()));
    }

    public Injector injector() {
        return injector;
    }

    public Map<String, Workload> workloads() {
        return injector.getInstance(Key.get(new TypeLiteral<Map<String, Workload>>() { }));
    }

    public Map<String, ScenarioEventHandler> eventHandlers() {
        return injector.getInstance(Key.get(new TypeLiteral<Map<String, ScenarioEventHandler>>() { }));
    }

    public Set<KernelSubsystem> subsystems() {
        return injector.getInstance(Key.get(new TypeLiteral<Set<KernelSubsystem>>() { }));
    }
}
