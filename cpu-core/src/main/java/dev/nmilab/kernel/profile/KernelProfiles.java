package dev.nmilab.kernel.profile;

import com.google.inject.util.Modules;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The profiles nmilab ships, by name. */
public final class KernelProfiles {
    public static final String DEFAULT = "linux-6.1";

    private final TreeMap<String, KernelProfile> byName = new TreeMap<>();

    public KernelProfiles(Collection<KernelProfile> profiles) {
        for (KernelProfile profile : profiles) {
            if (byName.put(profile.name(), profile) != null) {
                throw new IllegalArgumentException("two profiles named " + profile.name());
            }
        }
    }

    /** The profiles of this build: upstream 6.1 (later issues add historical ones). */
    public static KernelProfiles builtin() {
        return new KernelProfiles(List.of(new KernelProfile(DEFAULT, "upstream Linux 6.1 (the default)",
                List.of("nothing: the reference every other profile is compared with"),
                "console=ttyS0,115200", Map.of(), Modules.EMPTY_MODULE)));
    }

    public Optional<KernelProfile> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<KernelProfile> all() {
        return byName.values();
    }

    public java.util.Set<String> names() {
        return byName.keySet();
    }
}
