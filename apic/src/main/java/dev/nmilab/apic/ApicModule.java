package dev.nmilab.apic;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.nmilab.kernel.runtime.KernelSubsystem;

/** Binds the local APIC subsystem (install it before subsystems that route through it). */
public final class ApicModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(ApicSubsystem.class).in(Singleton.class);
        Multibinder.newSetBinder(binder(), KernelSubsystem.class).addBinding().to(ApicSubsystem.class);
    }
}
