package dev.nmilab.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/** Validates {@code machine:}; every key has a default, so the whole section may be left out. */
final class MachineSection {

    static final List<String> KEYS = List.of("cpus", "memory", "profile", "cmdline", "sysctls");

    private MachineSection() {
    }

    static Machine read(Optional<LocatedNode> section, LocatedMap root, SortedSet<String> knownProfiles) {
        String path = "machine";
        LocatedMap machine = section.map(node -> NodeReader.map(node, path))
                .orElseGet(() -> new LocatedMap(List.of(), root.location()));
        NodeReader.rejectUnknownKeys(machine, path, KEYS);

        int cpus = machine.get("cpus")
                .map(node -> (int) NodeReader.integer(node, "machine.cpus", 1, Machine.MAX_CPUS))
                .orElse(Machine.DEFAULT_CPUS);
        long memory = machine.get("memory")
                .map(MachineSection::memoryBytes)
                .orElse(Machine.DEFAULT_MEMORY_BYTES);
        String profile = profile(machine, knownProfiles);
        String cmdline = machine.get("cmdline")
                .map(MachineSection::cmdline)
                .orElse("");
        List<SysctlSetting> sysctls = machine.get("sysctls")
                .map(MachineSection::sysctls)
                .orElse(List.of());
        return new Machine(cpus, memory, profile, cmdline, sysctls);
    }

    private static long memoryBytes(LocatedNode node) {
        String path = "machine.memory";
        long bytes = NodeReader.sizeBytes(node, path);
        if (bytes < Machine.MIN_MEMORY_BYTES || bytes > Machine.MAX_MEMORY_BYTES) {
            throw NodeReader.expected(node, path, "a size " + Sizes.format(Machine.MIN_MEMORY_BYTES)
                    + ".." + Sizes.format(Machine.MAX_MEMORY_BYTES));
        }
        if (bytes % Machine.PAGE_SIZE != 0) {
            throw NodeReader.expected(node, path, "a whole number of 4K pages");
        }
        return bytes;
    }

    private static String profile(LocatedMap machine, SortedSet<String> knownProfiles) {
        String path = "machine.profile";
        Optional<LocatedNode> node = machine.get("profile");
        String profile = node.map(n -> NodeReader.text(n, path, "a kernel profile name")).orElse(Machine.DEFAULT_PROFILE);
        if (!knownProfiles.contains(profile)) {
            SourceLocation where = node.map(LocatedNode::location).orElse(machine.location());
            String which = node.isPresent() ? "unknown kernel profile " : "the default kernel profile ";
            throw new ScenarioException(where, path, which + Quoting.quote(profile)
                    + (node.isPresent() ? "" : " is not available")
                    + "; known profiles: " + NodeReader.sortedList(knownProfiles));
        }
        return profile;
    }

    private static String cmdline(LocatedNode node) {
        String text = NodeReader.text(node, "machine.cmdline", "a one-line kernel command line").strip();
        if (text.contains("\n") || text.contains("\r")) {
            throw NodeReader.expected(node, "machine.cmdline", "a one-line kernel command line");
        }
        return text;
    }

    private static List<SysctlSetting> sysctls(LocatedNode node) {
        String path = "machine.sysctls";
        LocatedMap map = NodeReader.map(node, path);
        List<SysctlSetting> settings = new ArrayList<>();
        for (LocatedMap.Entry entry : map.entries()) {
            String keyPath = KeyPaths.child(path, entry.key());
            if (!SysctlNames.isWellFormed(entry.key())) {
                throw new ScenarioException(entry.keyLocation(), keyPath,
                        "expected a sysctl name like kernel.panic, got " + Quoting.quote(entry.key()));
            }
            String value = NodeReader.text(entry.value(), keyPath, "a sysctl value");
            settings.add(new SysctlSetting(entry.key(), value, entry.value().location()));
        }
        return settings;
    }
}
