package dev.nmilab.kernel.sysctl;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A sysctl as a ctl_table entry describes it: its dotted name, how it is read and written, its
 * compiled-in default, the extra1/extra2 bounds of proc_dointvec_minmax when it has them, and one
 * line saying what it controls. Build with the static factories.
 */
public record SysctlDefinition(
        String name,
        SysctlType type,
        List<Integer> defaultInts,
        String defaultText,
        Optional<IntRange> range,
        String description) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)+");

    /** The inclusive bounds extra1..extra2 that proc_dointvec_minmax enforces. */
    public record IntRange(int min, int max) {
        public IntRange {
            if (min > max) {
                throw new IllegalArgumentException("min " + min + " > max " + max);
            }
        }

        public boolean contains(long value) {
            return value >= min && value <= max;
        }

        @Override
        public String toString() {
            return min + ".." + max;
        }
    }

    public SysctlDefinition {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("sysctl name must look like kernel.panic, was \"" + name + "\"");
        }
        defaultInts = ImmutableList.copyOf(defaultInts);
        switch (type) {
            case STRING -> {
                if (!defaultInts.isEmpty() || range.isPresent()) {
                    throw new IllegalArgumentException(name + ": a string sysctl has no ints or range");
                }
            }
            case INT, BOOL -> {
                if (defaultInts.size() != 1) {
                    throw new IllegalArgumentException(name + ": a scalar sysctl has exactly one default");
                }
            }
            case INT_VECTOR -> {
                if (defaultInts.isEmpty()) {
                    throw new IllegalArgumentException(name + ": an int vector needs at least one element");
                }
            }
        }
        if (type == SysctlType.BOOL && range.isPresent()) {
            throw new IllegalArgumentException(name + ": proc_dobool takes no range");
        }
        if (range.isPresent()) {
            for (int value : defaultInts) {
                if (!range.get().contains(value)) {
                    throw new IllegalArgumentException(name + ": default " + value + " outside " + range.get());
                }
            }
        }
    }

    /** proc_dointvec: any int. */
    public static SysctlDefinition integer(String name, int defaultValue, String description) {
        return new SysctlDefinition(name, SysctlType.INT, List.of(defaultValue), "", Optional.empty(), description);
    }

    /** proc_dointvec_minmax: an int within min..max (inclusive). */
    public static SysctlDefinition integer(String name, int defaultValue, int min, int max, String description) {
        return new SysctlDefinition(name, SysctlType.INT, List.of(defaultValue), "",
                Optional.of(new IntRange(min, max)), description);
    }

    /** proc_dobool. */
    public static SysctlDefinition bool(String name, boolean defaultValue, String description) {
        return new SysctlDefinition(name, SysctlType.BOOL, List.of(defaultValue ? 1 : 0), "", Optional.empty(),
                description);
    }

    /** proc_dostring. */
    public static SysctlDefinition string(String name, String defaultValue, String description) {
        return new SysctlDefinition(name, SysctlType.STRING, List.of(), defaultValue, Optional.empty(), description);
    }

    /** proc_dointvec over an int array; the default fixes the length. */
    public static SysctlDefinition intVector(String name, List<Integer> defaults, String description) {
        return new SysctlDefinition(name, SysctlType.INT_VECTOR, defaults, "", Optional.empty(), description);
    }

    /** The proc handler the kernel's ctl_table names for this kind of entry. */
    public String procHandler() {
        return switch (type) {
            case INT, INT_VECTOR -> range.isPresent() ? "proc_dointvec_minmax" : "proc_dointvec";
            case BOOL -> "proc_dobool";
            case STRING -> "proc_dostring";
        };
    }

    /** The file under /proc/sys, e.g. /proc/sys/kernel/panic. */
    public String procPath() {
        return Sysctls.PROC_SYS + name.replace('.', '/');
    }
}
