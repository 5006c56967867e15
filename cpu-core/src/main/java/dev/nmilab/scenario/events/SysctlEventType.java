package dev.nmilab.scenario.events;

import dev.nmilab.scenario.CpuUse;
import dev.nmilab.scenario.EventSpec;
import dev.nmilab.scenario.KeySpec;
import dev.nmilab.scenario.LocatedMap;
import dev.nmilab.scenario.ScenarioEventType;
import dev.nmilab.scenario.SysctlNames;
import dev.nmilab.scenario.ValidationContext;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code type: sysctl}: writes a sysctl during the run. {@code write} takes either sysctl(8)'s
 * {@code kernel.panic=1} or the shell's {@code echo 1 > /proc/sys/kernel/panic}. Machine-wide, so
 * no cpu. The value stays text; the runtime checks it against the sysctl.
 */
public final class SysctlEventType implements ScenarioEventType {

    public static final String NAME = "sysctl";

    private static final String EXPECTED = "name=value like kernel.panic=1, or echo 1 > /proc/sys/kernel/panic";
    private static final Pattern ECHO = Pattern.compile("echo\\s+(.*?)\\s*>\\s*/proc/sys/(\\S+)\\s*");
    private static final Pattern ASSIGNMENT = Pattern.compile("([^=\\s]+)\\s*=\\s*(.*?)\\s*");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<KeySpec> keys() {
        return List.of(KeySpec.required("write", "kernel.panic=1 or echo 1 > /proc/sys/kernel/panic"));
    }

    @Override
    public CpuUse cpuUse() {
        return CpuUse.NONE;
    }

    @Override
    public EventSpec validate(LocatedMap params, ValidationContext ctx) {
        String write = ctx.string(params, "write").strip();
        Matcher echo = ECHO.matcher(write);
        Matcher assignment = ASSIGNMENT.matcher(write);
        String name;
        String value;
        if (echo.matches()) {
            name = echo.group(2).replace('/', '.');
            value = unquote(echo.group(1));
        } else if (assignment.matches()) {
            name = assignment.group(1);
            value = assignment.group(2);
        } else {
            throw ctx.expected(params, "write", EXPECTED);
        }
        if (!SysctlNames.isWellFormed(name) || value.isEmpty()) {
            throw ctx.expected(params, "write", EXPECTED);
        }
        return new SysctlWrite(name, value);
    }

    /** {@code echo "1"} and {@code echo '1'} write 1, as the shell would. */
    private static String unquote(String value) {
        if (value.length() >= 2) {
            char first = value.charAt(0);
            if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
                return value.substring(1, value.length() - 1);
            }
        }
        return value;
    }
}
