package dev.nmilab.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.regex.Pattern;

/**
 * Validates {@code events:} in file order: the trigger (exactly one of {@code at}, {@code insn},
 * {@code symbol}), the {@code cpu} (needed by the type or by a per-CPU trigger, and existing), then
 * the type's own keys through its {@link ScenarioEventType}.
 */
final class EventsSection {

    static final List<String> TRIGGER_KEYS = List.of("at", "insn", "symbol");
    static final List<String> COMMON_KEYS = List.of("at", "insn", "symbol", "count", "cpu", "type");

    /** Assembler symbol names as GNU as accepts them in the stubs. */
    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z_.$][A-Za-z0-9_.$]*");

    private EventsSection() {
    }

    static List<ScheduledEvent> read(Optional<LocatedNode> section, SortedMap<String, ScenarioEventType> types, int cpuCount, Limits limits) {
        if (section.isEmpty()) {
            return List.of();
        }
        LocatedList list = NodeReader.list(section.get(), "events");
        List<ScheduledEvent> events = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            events.add(readEvent(list.items().get(i), KeyPaths.item("events", i), types, cpuCount, limits));
        }
        return events;
    }

    private static ScheduledEvent readEvent(LocatedNode node, String path, SortedMap<String, ScenarioEventType> types, int cpuCount, Limits limits) {
        LocatedMap item = NodeReader.map(node, path);
        String typeName = ItemChecks.typeName(item, path, "event", types.sequencedKeySet());
        ScenarioEventType type = types.get(typeName);
        ItemChecks.checkKeys(item, path, COMMON_KEYS, typeName, "event", type.keys());

        LocatedMap.Entry triggerEntry = singleTrigger(item, path);
        OptionalInt cpu = cpu(item, path, triggerEntry.key(), type, cpuCount);
        EventTrigger trigger = trigger(item, path, triggerEntry, cpu, limits);

        LocatedMap params = item.only(ItemChecks.names(type.keys()));
        EventSpec spec = type.validate(params, new ValidationContext(path, cpuCount, cpu));
        if (spec == null) {
            throw new IllegalStateException("event type '" + typeName + "' returned no spec for " + path);
        }
        return new ScheduledEvent(trigger, cpu, typeName, spec, item.location());
    }

    private static LocatedMap.Entry singleTrigger(LocatedMap item, String path) {
        List<LocatedMap.Entry> triggers = item.entries().stream().filter(e -> TRIGGER_KEYS.contains(e.key())).toList();
        if (triggers.isEmpty()) {
            throw new ScenarioException(item.location(), path, "missing trigger: give one of at, insn or symbol");
        }
        if (triggers.size() > 1) {
            throw new ScenarioException(triggers.get(1).keyLocation(), path,
                    "two triggers " + Quoting.quote(triggers.get(0).key()) + " and " + Quoting.quote(triggers.get(1).key())
                            + ": give exactly one of at, insn or symbol");
        }
        return triggers.getFirst();
    }

    private static OptionalInt cpu(LocatedMap item, String path, String triggerKey, ScenarioEventType type, int cpuCount) {
        Optional<LocatedMap.Entry> cpuEntry = item.entry("cpu");
        boolean triggerCountsOnCpu = !triggerKey.equals("at");
        if (cpuEntry.isEmpty()) {
            if (triggerCountsOnCpu) {
                throw new ScenarioException(item.location(), path, "missing required key 'cpu' (" + (triggerKey.equals("insn") ? "an" : "a") + " " + triggerKey + " trigger counts on one CPU)");
            }
            if (type.cpuUse() == CpuUse.REQUIRED) {
                throw new ScenarioException(item.location(), path, "missing required key 'cpu' for event type " + Quoting.quote(type.name()));
            }
            return OptionalInt.empty();
        }
        if (type.cpuUse() == CpuUse.NONE && !triggerCountsOnCpu) {
            throw new ScenarioException(cpuEntry.get().keyLocation(), KeyPaths.child(path, "cpu"),
                    "event type " + Quoting.quote(type.name()) + " takes no cpu (only an insn or symbol trigger would use one)");
        }
        return OptionalInt.of(NodeReader.cpuNumber(cpuEntry.get().value(), KeyPaths.child(path, "cpu"), cpuCount));
    }

    private static EventTrigger trigger(LocatedMap item, String path, LocatedMap.Entry entry, OptionalInt cpu, Limits limits) {
        String triggerPath = KeyPaths.child(path, entry.key());
        Optional<LocatedMap.Entry> count = item.entry("count");
        if (count.isPresent() && !entry.key().equals("symbol")) {
            throw new ScenarioException(count.get().keyLocation(), KeyPaths.child(path, "count"), "count applies only to a symbol trigger");
        }
        return switch (entry.key()) {
            case "at" -> {
                long nanos = NodeReader.durationNanos(entry.value(), triggerPath);
                if (nanos > limits.timeNanos()) {
                    throw new ScenarioException(entry.value().location(), triggerPath, Durations.format(nanos)
                            + " is after limits.time (" + Durations.format(limits.timeNanos()) + "), so the event would never fire");
                }
                yield new EventTrigger.AtTime(nanos);
            }
            case "insn" -> {
                long instructions = NodeReader.positiveInteger(entry.value(), triggerPath);
                if (instructions > limits.instructions()) {
                    throw new ScenarioException(entry.value().location(), triggerPath, instructions
                            + " is beyond limits.instructions (" + limits.instructions() + "), so the event would never fire");
                }
                yield new EventTrigger.AfterInstructions(cpu.getAsInt(), instructions);
            }
            case "symbol" -> {
                String symbol = NodeReader.text(entry.value(), triggerPath, "a symbol name like bp_handler_done");
                if (!SYMBOL.matcher(symbol).matches()) {
                    throw NodeReader.expected(entry.value(), triggerPath, "a symbol name like bp_handler_done");
                }
                int nth = count.map(c -> (int) NodeReader.integer(c.value(), KeyPaths.child(path, "count"), 1, Integer.MAX_VALUE)).orElse(1);
                yield new EventTrigger.AtSymbol(cpu.getAsInt(), symbol, nth);
            }
            default -> throw new IllegalStateException("not a trigger key: " + entry.key());
        };
    }
}
