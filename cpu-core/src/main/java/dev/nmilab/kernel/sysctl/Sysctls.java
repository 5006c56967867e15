package dev.nmilab.kernel.sysctl;

import com.google.common.collect.ImmutableList;
import dev.nmilab.kernel.Errno;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sysctls of one emulated machine: typed definitions with their current values. Writes go
 * through the same parsing the kernel's proc handlers do (kernel/sysctl.c, Linux 6.1), by name
 * ({@code kernel.panic}), by slashed name or /proc/sys path, or as a whole command
 * ({@link SysctlCommand}). Iteration is in sorted name order so anything printed from here is
 * the same on every run. Other modules register their own definitions with {@link #register}.
 */
public final class Sysctls {
    /** Where sysctls live in procfs. */
    public static final String PROC_SYS = "/proc/sys/";

    private static final Logger LOG = LoggerFactory.getLogger(Sysctls.class);

    private final Map<String, Entry> entries = new TreeMap<>();
    private final Map<String, List<SysctlWriteListener>> listeners = new TreeMap<>();

    /** A definition and the machine's current value: ints for the integer types, text for strings. */
    private static final class Entry {
        final SysctlDefinition definition;
        int[] ints;
        String text;

        Entry(SysctlDefinition definition) {
            this.definition = definition;
            reset();
        }

        void reset() {
            ints = definition.defaultInts().stream().mapToInt(Integer::intValue).toArray();
            text = definition.defaultText();
        }
    }

    /** An empty table; see {@link #linux61()} for the usual start. */
    public Sysctls() {
    }

    /** A table holding {@link LinuxSysctls#v6_1()} at their defaults. */
    public static Sysctls linux61() {
        Sysctls sysctls = new Sysctls();
        LinuxSysctls.v6_1().forEach(sysctls::register);
        return sysctls;
    }

    public void register(SysctlDefinition definition) {
        if (entries.containsKey(definition.name())) {
            throw new IllegalArgumentException("sysctl " + definition.name() + " is already registered");
        }
        entries.put(definition.name(), new Entry(definition));
    }

    /** Called after each write that changed {@code name}. */
    public void addListener(String name, SysctlWriteListener listener) {
        String canonical = lookup(name).definition.name();
        listeners.computeIfAbsent(canonical, n -> new ArrayList<>()).add(listener);
    }

    public boolean isRegistered(String name) {
        return entries.containsKey(canonicalName(name));
    }

    public SysctlDefinition definition(String name) {
        return lookup(name).definition;
    }

    /** All definitions, sorted by name. */
    public List<SysctlDefinition> definitions() {
        return entries.values().stream().map(e -> e.definition).collect(ImmutableList.toImmutableList());
    }

    /** All names, sorted. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /**
     * Writes {@code value} as write(2) on the proc file would. For the integer types the number
     * rules of proc_dointvec apply; a vector takes as many numbers as are given, in order, and
     * like the kernel keeps the ones before a bad one.
     */
    public void write(String name, String value) {
        Entry entry = lookup(name);
        boolean changed = switch (entry.definition.type()) {
            case STRING -> writeString(entry, value);
            case INT, BOOL, INT_VECTOR -> writeInts(entry, name, value);
        };
        if (changed) {
            LOG.debug("sysctl {} = {}", entry.definition.name(), procText(entry).strip());
            for (SysctlWriteListener listener : listeners.getOrDefault(entry.definition.name(), List.of())) {
                listener.written(entry.definition.name(), this);
            }
        }
    }

    /** Applies {@code kernel.panic=10}, {@code sysctl -w ...} or {@code echo 1 > /proc/sys/...}. */
    public void apply(String command) {
        SysctlCommand parsed = SysctlCommand.parse(command);
        write(parsed.name(), parsed.value());
    }

    /** Back to the compiled-in default, without telling listeners (a fresh boot, not a write). */
    public void reset(String name) {
        lookup(name).reset();
    }

    /** The value of an INT or BOOL sysctl. */
    public int intValue(String name) {
        Entry entry = lookup(name);
        requireScalar(entry, "intValue");
        return entry.ints[0];
    }

    /** An INT or BOOL sysctl read as a C condition: non-zero is true. */
    public boolean boolValue(String name) {
        return intValue(name) != 0;
    }

    /** All ints of an integer sysctl (one element for INT and BOOL). */
    public List<Integer> intVector(String name) {
        Entry entry = lookup(name);
        if (entry.definition.type() == SysctlType.STRING) {
            throw new IllegalStateException(entry.definition.name() + " is a string sysctl; use stringValue");
        }
        return Arrays.stream(entry.ints).boxed().collect(ImmutableList.toImmutableList());
    }

    /** The value as text, what cat prints without its final newline ("7\t4\t1\t7" for kernel.printk). */
    public String stringValue(String name) {
        String text = procText(lookup(name));
        return text.substring(0, text.length() - 1);
    }

    /** Exactly what {@code cat /proc/sys/...} prints: ints separated by tabs, then a newline. */
    public String procRead(String name) {
        return procText(lookup(name));
    }

    /** Maps kernel.panic, kernel/panic and /proc/sys/kernel/panic to kernel.panic. */
    public static String canonicalName(String name) {
        String stripped = name.startsWith(PROC_SYS) ? name.substring(PROC_SYS.length()) : name;
        return stripped.replace('/', '.');
    }

    private Entry lookup(String name) {
        Entry entry = entries.get(canonicalName(name));
        if (entry == null) {
            String path = PROC_SYS + canonicalName(name).replace('.', '/');
            throw new SysctlException("sysctl: cannot stat " + path + ": No such file or directory",
                    name, null, Errno.ENOENT);
        }
        return entry;
    }

    private static void requireScalar(Entry entry, String accessor) {
        SysctlType type = entry.definition.type();
        if (type != SysctlType.INT && type != SysctlType.BOOL) {
            throw new IllegalStateException(entry.definition.name() + " is " + type + ", not readable with " + accessor);
        }
    }

    /** proc_dostring with SYSCTL_WRITES_STRICT: the new text is what precedes the first newline. */
    private static boolean writeString(Entry entry, String value) {
        int newline = value.indexOf('\n');
        entry.text = newline >= 0 ? value.substring(0, newline) : value;
        return true;
    }

    /** __do_proc_dointvec() write side with the conv function of the entry's handler. */
    private static boolean writeInts(Entry entry, String shownName, String value) {
        ProcIntvecParser parser = new ProcIntvecParser(value);
        boolean first = true;
        boolean failed = false;
        for (int index = 0; index < entry.ints.length; index++) {
            if (!parser.skipSpaces()) {
                break;
            }
            ProcIntvecParser.ProcLong number = parser.nextLong();
            Optional<Integer> converted = number == null ? Optional.empty() : convert(entry.definition, number);
            if (converted.isEmpty()) {
                failed = true;
                break;
            }
            entry.ints[index] = converted.get();
            first = false;
        }
        if (failed || first) {
            String written = value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
            String message = entry.definition.name() + ": invalid value \"" + written + "\": expected "
                    + expectation(entry.definition) + " (" + entry.definition.procHandler() + " returns "
                    + Errno.EINVAL.asReturn() + ")";
            if (!first) {
                LOG.debug("{}: values before the bad one were stored, as the kernel does", entry.definition.name());
            }
            throw new SysctlException(message, shownName, written, Errno.EINVAL);
        }
        return true;
    }

    /** do_proc_dointvec_conv / do_proc_dointvec_minmax_conv / do_proc_dobool_conv. */
    private static Optional<Integer> convert(SysctlDefinition definition, ProcIntvecParser.ProcLong number) {
        long magnitude = number.magnitude();
        if (definition.type() == SysctlType.BOOL) {
            return Optional.of(magnitude != 0 ? 1 : 0);
        }
        long limit = number.negative() ? (long) Integer.MAX_VALUE + 1 : Integer.MAX_VALUE;
        if (Long.compareUnsigned(magnitude, limit) > 0) {
            return Optional.empty();
        }
        long value = number.negative() ? -magnitude : magnitude;
        if (definition.range().isPresent() && !definition.range().get().contains(value)) {
            return Optional.empty();
        }
        return Optional.of((int) value);
    }

    private static String expectation(SysctlDefinition definition) {
        String range = definition.range().map(r -> " in " + r).orElse("");
        return switch (definition.type()) {
            case INT -> "an integer" + range;
            case BOOL -> "an integer (0 is false, anything else true)";
            case INT_VECTOR -> "up to " + definition.defaultInts().size() + " integers"
                    + definition.range().map(r -> " each in " + r).orElse("");
            case STRING -> "text";
        };
    }

    private static String procText(Entry entry) {
        if (entry.definition.type() == SysctlType.STRING) {
            return entry.text + "\n";
        }
        return Arrays.stream(entry.ints).mapToObj(Integer::toString).collect(Collectors.joining("\t")) + "\n";
    }
}
