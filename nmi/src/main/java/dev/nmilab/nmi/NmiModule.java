package dev.nmilab.nmi;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;
import dev.nmilab.kernel.runtime.KernelSubsystem;
import dev.nmilab.kernel.runtime.ScenarioEventHandler;
import dev.nmilab.nmi.entry.NmiEntryVariant;

/** The NMI subsystem's bindings; a profile overrides {@link NmiEntryVariant} to pick the entry stub. */
public final class NmiModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(NmiEntryVariant.class).toInstance(NmiEntryVariant.NESTED_SAFE);
        bind(NmiSubsystem.class).in(Singleton.class);
        Multibinder.newSetBinder(binder(), KernelSubsystem.class).addBinding().to(NmiSubsystem.class);
        MapBinder.newMapBinder(binder(), String.class, ScenarioEventHandler.class)
                .addBinding(PlatformNmiEvent.NAME).to(PlatformNmiEvent.class);
    }
}
