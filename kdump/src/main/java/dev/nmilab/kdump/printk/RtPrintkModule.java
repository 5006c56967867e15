package dev.nmilab.kdump.printk;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.nmilab.kdump.kexec.KdumpSubsystem;
import dev.nmilab.kernel.runtime.KernelSubsystem;

/** A profile override: threaded console printing and its panic(), in the given flavor. */
public final class RtPrintkModule extends AbstractModule {
    private final PrintkFlavor flavor;

    public RtPrintkModule(PrintkFlavor flavor) {
        this.flavor = flavor;
    }

    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), KernelSubsystem.class).addBinding().to(RtPrintkSubsystem.class);
    }

    @Provides
    @Singleton
    RtPrintkSubsystem subsystem(KdumpSubsystem kdump) {
        return new RtPrintkSubsystem(kdump, flavor);
    }
}
