package dev.nmilab.kernel.profile;

import com.google.inject.Module;
import java.util.List;
import java.util.Map;

/**
 * A kernel version as a set of Guice module overrides plus its default command line and sysctls.
 * {@code changes} says in words what it changes against the default profile.
 */
public record KernelProfile(String name, String description, List<String> changes, String defaultCmdline,
        Map<String, String> defaultSysctls, Module overrides) {
}
