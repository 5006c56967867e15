package dev.nmilab.kernel.cmdline;

import com.google.common.collect.ImmutableList;
import dev.nmilab.kernel.KernelParamException;
import dev.nmilab.kernel.lib.ConversionException;
import dev.nmilab.kernel.lib.Kstrtox;
import dev.nmilab.kernel.lib.Memparse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel command line, split as kernel/params.c parse_args() splits it with next_arg()
 * (lib/cmdline.c). Every argument is kept, in order, whether or not anything in nmilab knows it
 * (the kernel hands unknown ones to init); "--" ends the kernel's part and the rest become init's
 * arguments. Names compare with dashes and underscores equivalent (parameq()); when a name is
 * repeated the last occurrence wins, as every later param_set_*() overwrites the earlier one.
 *
 * <p>The typed accessors follow the kernel_param_ops they stand for: {@link #integer} is
 * param_set_int (kstrtoint, base auto-detected), {@link #bool} is param_set_bool (kstrtobool, a
 * bare flag is true), {@link #size} is memparse(). A value those would reject throws a
 * {@link KernelParamException} worded like parse_args()'s pr_err: "Booting kernel: `abc' invalid
 * for parameter `foo'".
 */
public final class KernelCommandLine {
    /** The "doing" string start_kernel() passes to parse_args(); it prefixes its error messages. */
    public static final String DOING = "Booting kernel";

    private static final Logger LOG = LoggerFactory.getLogger(KernelCommandLine.class);

    private final List<KernelParam> params;
    private final List<String> initArguments;
    private final Map<String, List<KernelParam>> byKey;

    private KernelCommandLine(List<KernelParam> params, List<String> initArguments) {
        this.params = ImmutableList.copyOf(params);
        this.initArguments = ImmutableList.copyOf(initArguments);
        Map<String, List<KernelParam>> index = new LinkedHashMap<>();
        for (KernelParam param : this.params) {
            index.computeIfAbsent(param.key(), k -> new ArrayList<>()).add(param);
        }
        this.byKey = index;
    }

    public static KernelCommandLine parse(String line) {
        List<KernelParam> params = new ArrayList<>();
        CommandLineTokenizer tokenizer = new CommandLineTokenizer(line);
        while (tokenizer.hasNext()) {
            KernelParam param = tokenizer.next();
            if (param.isFlag() && param.name().equals("--")) {
                return new KernelCommandLine(params, initArguments(tokenizer));
            }
            if (param.isFlag() && param.name().isEmpty()) {
                continue; // a lone '"': the kernel sees an empty name and nothing consumes it
            }
            params.add(param);
        }
        return new KernelCommandLine(params, List.of());
    }

    /**
     * start_kernel() runs parse_args("Setting init args", ...) over what follows "--": each
     * argument becomes "name=value" with quotes removed (repair_env_string); a second "--" ends it.
     */
    private static List<String> initArguments(CommandLineTokenizer tokenizer) {
        List<String> arguments = new ArrayList<>();
        while (tokenizer.hasNext()) {
            KernelParam param = tokenizer.next();
            if (param.isFlag() && param.name().equals("--")) {
                break;
            }
            arguments.add(param.value().map(v -> param.name() + '=' + v).orElse(param.name()));
        }
        return arguments;
    }

    /** dash2underscore() over the whole name, the comparison form of parameq()/parameqn(). */
    public static String normalizeKey(String name) {
        return name.replace('-', '_');
    }

    /** Every argument before "--", in command line order, known to nmilab or not. */
    public List<KernelParam> params() {
        return params;
    }

    /** What init would receive in argv after the kernel's own "--". */
    public List<String> initArguments() {
        return initArguments;
    }

    public boolean has(String key) {
        return byKey.containsKey(normalizeKey(key));
    }

    /** All occurrences of a parameter, in order; empty when absent. */
    public List<KernelParam> occurrences(String key) {
        return List.copyOf(byKey.getOrDefault(normalizeKey(key), List.of()));
    }

    /** The occurrence that takes effect: the last one. */
    public Optional<KernelParam> last(String key) {
        List<KernelParam> found = byKey.get(normalizeKey(key));
        return found == null ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }

    /** The last value given to {@code key}; empty when absent or given as a bare flag. */
    public Optional<String> string(String key) {
        return last(key).flatMap(KernelParam::value);
    }

    /** param_set_int semantics: kstrtoint(value, 0); {@code defaultValue} when the key is absent. */
    public int integer(String key, int defaultValue) {
        Optional<KernelParam> param = last(key);
        if (param.isEmpty()) {
            return defaultValue;
        }
        String value = requireValue(param.get());
        try {
            return Kstrtox.kstrtoint(value, 0);
        } catch (ConversionException e) {
            throw invalid(param.get(), value, e);
        }
    }

    /** param_set_bool semantics: a bare flag is true, otherwise kstrtobool(); absent is false. */
    public boolean bool(String key) {
        return bool(key, false);
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<KernelParam> param = last(key);
        if (param.isEmpty()) {
            return defaultValue;
        }
        if (param.get().isFlag()) {
            return true;
        }
        String value = param.get().value().orElseThrow();
        try {
            return Kstrtox.kstrtobool(value);
        } catch (ConversionException e) {
            throw invalid(param.get(), value, e);
        }
    }

    /**
     * memparse() of the value (K/M/G/T/P/E suffixes, base auto-detected). Stricter than the bare
     * kernel helper, which ignores what follows the number: left-over text or a value past 64
     * bits is refused here so scenario typos do not pass silently.
     */
    public OptionalLong size(String key) {
        Optional<KernelParam> param = last(key);
        if (param.isEmpty()) {
            return OptionalLong.empty();
        }
        String value = requireValue(param.get());
        try {
            return OptionalLong.of(Memparse.memparseStrict(value));
        } catch (ConversionException e) {
            throw invalid(param.get(), value, e);
        }
    }

    /** The line in normalized form: single spaces, quotes only where a value needs them. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (KernelParam param : params) {
            parts.add(param.toCommandLineText());
        }
        if (!initArguments.isEmpty()) {
            parts.add("--");
            for (String argument : initArguments) {
                parts.add(KernelParam.flag(argument).toCommandLineText());
            }
        }
        return String.join(" ", parts);
    }

    /** parse_one() refuses a missing value for ops without KERNEL_PARAM_OPS_FL_NOARG. */
    private static String requireValue(KernelParam param) {
        return param.value().orElseThrow(() -> invalid(param, "", null));
    }

    private static KernelParamException invalid(KernelParam param, String value, ConversionException cause) {
        String message = DOING + ": `" + value + "' invalid for parameter `" + param.name() + "'";
        LOG.debug("{} ({})", message, cause == null ? "no value given" : cause.getMessage());
        KernelParamException exception = new KernelParamException(message, param.name(), value);
        if (cause != null) {
            exception.initCause(cause);
        }
        return exception;
    }
}
