package dev.nmilab.run;

import com.google.inject.AbstractModule;
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
        return new KernelProfiles(profiles);
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
