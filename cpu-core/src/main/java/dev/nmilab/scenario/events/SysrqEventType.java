package dev.nmilab.scenario.events;

import dev.nmilab.scenario.CpuUse;
import dev.nmilab.scenario.EventSpec;
import dev.nmilab.scenario.KeySpec;
import dev.nmilab.scenario.LocatedMap;
import dev.nmilab.scenario.ScenarioEventType;
import dev.nmilab.scenario.ValidationContext;
import java.util.List;

/**
 * {@code type: sysrq}: a magic SysRq key ({@code key: c} crashes). Runs on {@code cpu}, CPU 0 when
 * not given. Keys are the characters sysrq_key_table is indexed by in drivers/tty/sysrq.c
 * (0-9, a-z, A-Z); which of them do something is the runtime's business.
 */
public final class SysrqEventType implements ScenarioEventType {

    public static final String NAME = "sysrq";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<KeySpec> keys() {
        return List.of(KeySpec.required("key", "one SysRq key character: 0-9, a-z or A-Z"));
    }

    @Override
    public CpuUse cpuUse() {
        return CpuUse.OPTIONAL;
    }

    @Override
    public EventSpec validate(LocatedMap params, ValidationContext ctx) {
        String key = ctx.string(params, "key");
        if (key.length() != 1 || !isSysrqKey(key.charAt(0))) {
            throw ctx.expected(params, "key", "one SysRq key character 0-9, a-z or A-Z");
        }
        return new SysrqEvent(key.charAt(0), ctx.cpu().orElse(0));
    }

    private static boolean isSysrqKey(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
