package dev.nmilab.kernel.profile;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;
import dev.nmilab.kernel.runtime.KernelIdentity;
import dev.nmilab.kernel.runtime.KernelSubsystem;
import dev.nmilab.kernel.runtime.ScenarioEventHandler;
import dev.nmilab.kernel.workload.BugKthread;
import dev.nmilab.kernel.workload.BusyLoop;
import dev.nmilab.kernel.workload.KthreadNoise;
import dev.nmilab.kernel.workload.Workload;

/**
 * The default (upstream 6.1) kernel: its identity and the workloads scenarios can start.
 * Subsystem modules add to the maps; profiles override single bindings.
 */
public final class KernelModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder<String, Workload> workloads = MapBinder.newMapBinder(binder(), String.class, Workload.class);
        workloads.addBinding(BugKthread.NAME).to(BugKthread.class);
        workloads.addBinding(BusyLoop.NAME).to(BusyLoop.class);
        workloads.addBinding(KthreadNoise.NAME).to(KthreadNoise.class);
        Multibinder.newSetBinder(binder(), KernelSubsystem.class);
        MapBinder.newMapBinder(binder(), String.class, ScenarioEventHandler.class);
    }

    @Provides
    KernelIdentity identity() {
        return KernelIdentity.linux61();
    }
}
