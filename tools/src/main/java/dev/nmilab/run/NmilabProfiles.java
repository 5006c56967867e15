package dev.nmilab.run;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.util.Modules;
import dev.nmilab.kdump.printk.PrintkFlavor;
import dev.nmilab.kdump.printk.RtPrintkModule;
import dev.nmilab.kernel.runtime.KernelIdentity;
import dev.nmilab.kernel.profile.KernelProfile;
import dev.nmilab.kernel.profile.KernelProfiles;
import dev.nmilab.nmi.entry.NmiEntryVariant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every profile this build ships: the default and the historical variants the scenarios need. */
public final class NmilabProfiles {
    private NmilabProfiles() {
    }

    public static KernelProfiles all() {
        List<KernelProfile> profiles = new ArrayList<>(KernelProfiles.builtin().all());
        profiles.add(new KernelProfile("linux-3.2-x86_64",
                "x86_64 before 3.3: the NMI entry has one frame and no nesting detection",
                List.of("NMI entry: naive (one iret frame on the NMI stack, nothing detects a nested NMI)"),
                "console=ttyS0,115200", Map.of(), entryVariant(NmiEntryVariant.NAIVE)));
        profiles.add(new KernelProfile("linux-3.3-i386-latch",
                "the i386 way since 3.3: NMIs on the interrupted stack, a C-level latch repeats the handler",
                List.of("NMI entry: i386-latch (nmi_state NOT_RUNNING/EXECUTING/LATCHED, no IST for NMIs)"),
                "console=ttyS0,115200", Map.of(), entryVariant(NmiEntryVariant.I386_LATCH)));
        profiles.add(new KernelProfile("rhel9-5.14.0-285",
                "RHEL 9's kernel-5.14.0-285: the rt printk (printer kthreads, atomic consoles) of the kdump talk",
                List.of("printk: a printer kthread (pr/ttyS0 on CPU 1) writes the console; the 8250 write holds "
                                + "printk_cpu_sync with interrupts off",
                        "panic(): dump_stack, pr_flush when it may sleep, then the atomic flush of the log under "
                                + "printk_cpu_sync, the crash stop of the other CPUs inside it, then crash_kexec",
                        "panic(): no panic_cpu guard; a second CPU's nmi_panic() runs panic() too"),
                "console=ttyS0,115200", Map.of(), printk(PrintkFlavor.RT_PRINTK_285,
                        new KernelIdentity("5.14.0-285.el9.x86_64", "#1 SMP PREEMPT_DYNAMIC",
                                KernelIdentity.linux61().hardwareName()))));
        profiles.add(new KernelProfile("linux-6.6-rt",
                "the printk the talk's fix came from: nbcon atomic consoles with panic takeover (6.6-rt)",
                List.of("printk: a printer kthread (pr/ttyS0 on CPU 1) writes the console under nbcon ownership, "
                                + "which the panic CPU takes over; no printk_cpu_sync",
                        "panic(): panic_cpu guard; the atomic flush of the log, then crash_kexec"),
                "console=ttyS0,115200", Map.of(), printk(PrintkFlavor.NBCON,
                        new KernelIdentity("6.6.0-rt15", "#1 SMP PREEMPT_RT",
                                KernelIdentity.linux61().hardwareName()))));
        return new KernelProfiles(profiles);
    }

    private static Module printk(PrintkFlavor flavor, KernelIdentity identity) {
        return Modules.combine(new RtPrintkModule(flavor), new AbstractModule() {
            @Provides
            KernelIdentity identity() {
                return identity;
            }
        });
    }

    private static AbstractModule entryVariant(NmiEntryVariant variant) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(NmiEntryVariant.class).toInstance(variant);
            }
        };
    }
}
