package dev.nmilab.kdump.kexec;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;
import dev.nmilab.kernel.runtime.KernelSubsystem;
import dev.nmilab.kernel.runtime.ScenarioEventHandler;

/** kdump's bindings: the subsystem (after APIC and NMI) and the kexec-load scenario step. */
public final class KdumpModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(KdumpSubsystem.class).in(Singleton.class);
        Multibinder.newSetBinder(binder(), KernelSubsystem.class).addBinding().to(KdumpSubsystem.class);
        MapBinder.newMapBinder(binder(), String.class, ScenarioEventHandler.class)
                .addBinding(KexecLoadEvent.NAME).to(KexecLoadEvent.class);
    }
}
