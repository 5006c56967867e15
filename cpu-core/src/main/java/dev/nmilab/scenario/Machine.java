package dev.nmilab.scenario;

import java.util.List;
import java.util.Objects;

/** The emulated machine: CPUs, memory, kernel profile, command line and boot-time sysctls. */
public record Machine(int cpus, long memoryBytes, String profile, String cmdline, List<SysctlSetting> sysctls) {

    public static final int DEFAULT_CPUS = 1;
    public static final int MAX_CPUS = 64;
    public static final long DEFAULT_MEMORY_BYTES = 256L << 20;
    public static final long MIN_MEMORY_BYTES = 16L << 20;
    public static final long MAX_MEMORY_BYTES = 1L << 40;
    /** Memory is mapped in 4K pages, so the size must be a whole number of them. */
    public static final long PAGE_SIZE = 4096;
    public static final String DEFAULT_PROFILE = "linux-6.1";

    public Machine {
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException("cpus out of range: " + cpus);
        }
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(cmdline, "cmdline");
        sysctls = List.copyOf(sysctls);
    }
}
