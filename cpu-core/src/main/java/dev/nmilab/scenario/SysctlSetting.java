package dev.nmilab.scenario;

import java.util.Objects;

/**
 * One {@code machine.sysctls} entry. The value stays text: the runtime knows each sysctl's type
 * and range and reports a bad value at {@code location}.
 */
public record SysctlSetting(String name, String value, SourceLocation location) {

    public SysctlSetting {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(location, "location");
    }
}
