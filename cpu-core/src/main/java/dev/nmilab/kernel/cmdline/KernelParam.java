package dev.nmilab.kernel.cmdline;

import dev.nmilab.kernel.lib.Ctype;
import java.util.Optional;

/**
 * One argument of the kernel command line as next_arg() (lib/cmdline.c) splits it: a name and,
 * when the argument had an '=', a value with its surrounding double quotes removed. The name is
 * kept as written; {@link #key()} is the form parameq() compares (dashes read as underscores).
 */
public record KernelParam(String name, Optional<String> value) {

    public KernelParam {
        if (name == null || value == null) {
            throw new IllegalArgumentException("name and value must not be null");
        }
    }

    public static KernelParam flag(String name) {
        return new KernelParam(name, Optional.empty());
    }

    public static KernelParam of(String name, String value) {
        return new KernelParam(name, Optional.of(value));
    }

    /** The lookup key: dash2underscore() applied to the whole name, as kernel/params.c parameq() does. */
    public String key() {
        return KernelCommandLine.normalizeKey(name);
    }

    /** True for a bare flag such as {@code quiet} (no '=' at all; {@code foo=} has an empty value). */
    public boolean isFlag() {
        return value.isEmpty();
    }

    /** The argument written back in a form next_arg() reads the same way again. */
    public String toCommandLineText() {
        if (value.isEmpty()) {
            return needsQuotes(name) ? '"' + name + '"' : name;
        }
        String text = value.get();
        return name + '=' + (needsQuotes(text) ? '"' + text + '"' : text);
    }

    private static boolean needsQuotes(String text) {
        return text.chars().anyMatch(c -> Ctype.isSpace((char) c));
    }
}
