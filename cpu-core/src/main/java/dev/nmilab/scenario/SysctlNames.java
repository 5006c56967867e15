package dev.nmilab.scenario;

import java.util.regex.Pattern;

/** The dotted sysctl names of {@code sysctl -a} ({@code kernel.panic}, {@code vm.nr_hugepages}). */
public final class SysctlNames {

    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+(?:\\.[A-Za-z0-9_-]+)+");

    private SysctlNames() {
    }

    /** At least two dot-separated parts: a lower-case top directory, then names. */
    public static boolean isWellFormed(String name) {
        return NAME.matcher(name).matches();
    }
}
