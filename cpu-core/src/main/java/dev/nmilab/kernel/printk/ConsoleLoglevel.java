package dev.nmilab.kernel.printk;

import dev.nmilab.kernel.cmdline.KernelCommandLine;
import dev.nmilab.kernel.cmdline.KernelParam;
import dev.nmilab.kernel.lib.Kstrtox;
import java.util.OptionalInt;

/**
 * The console_loglevel the boot options of init/main.c leave behind: "debug" sets
 * CONSOLE_LOGLEVEL_DEBUG (10), "quiet" sets CONSOLE_LOGLEVEL_QUIET (4), "loglevel=N" sets N. They
 * are early params, run in command line order, so the last one wins. This is why distributions,
 * which boot with "quiet", show kernel.printk as "4 4 1 7" while upstream's default is "7 4 1 7".
 */
public final class ConsoleLoglevel {
    public static final int CONSOLE_LOGLEVEL_DEFAULT = 7;
    public static final int CONSOLE_LOGLEVEL_QUIET = 4;
    public static final int CONSOLE_LOGLEVEL_DEBUG = 10;

    private ConsoleLoglevel() {
    }

    /** The console_loglevel set by the command line, empty when none of the three options changes it. */
    public static OptionalInt fromCommandLine(KernelCommandLine commandLine) {
        OptionalInt level = OptionalInt.empty();
        for (KernelParam param : commandLine.params()) {
            switch (param.key()) {
                case "debug" -> level = OptionalInt.of(CONSOLE_LOGLEVEL_DEBUG);
                case "quiet" -> level = OptionalInt.of(CONSOLE_LOGLEVEL_QUIET);
                case "loglevel" -> {
                    OptionalInt parsed = getOption(param.value().orElse(""));
                    if (parsed.isPresent()) {
                        level = parsed;
                    }
                }
                default -> {
                }
            }
        }
        return level;
    }

    /** get_option() from lib/cmdline.c: a leading (optionally negative) integer, base auto-detected. */
    private static OptionalInt getOption(String text) {
        boolean negative = text.startsWith("-");
        int from = negative ? 1 : 0;
        Kstrtox.PartialParse number = Kstrtox.simpleStrtoull(text, from, 0);
        if (number.consumedNothing(from)) {
            return OptionalInt.empty();
        }
        long value = negative ? -number.value() : number.value();
        return OptionalInt.of((int) value);
    }
}
