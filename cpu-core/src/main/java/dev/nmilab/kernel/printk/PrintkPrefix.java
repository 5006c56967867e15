package dev.nmilab.kernel.printk;

import java.util.Optional;

/**
 * The level and flags in front of a printk() text, read as printk_parse_prefix() in
 * kernel/printk/printk.c does with printk_get_level() (include/linux/printk.h): any run of
 * KERN_SOH + ('0'..'7' | 'c') pairs is consumed; the first level digit wins, 'c' marks KERN_CONT.
 * A SOH followed by anything else is not a prefix and stays in the text.
 */
public record PrintkPrefix(Optional<LogLevel> level, boolean cont, int prefixLength, String text) {

    public static PrintkPrefix parse(String message) {
        LogLevel level = null;
        boolean cont = false;
        int index = 0;
        while (true) {
            char kind = printkGetLevel(message, index);
            if (kind == 0) {
                break;
            }
            if (kind == 'c') {
                cont = true;
            } else if (level == null) {
                level = LogLevel.of(kind - '0');
            }
            index += 2;
        }
        return new PrintkPrefix(Optional.ofNullable(level), cont, index, message.substring(index));
    }

    /** printk_get_level() at {@code index}: the level character, or 0 when there is no prefix there. */
    public static char printkGetLevel(String message, int index) {
        if (index + 1 < message.length() && message.charAt(index) == LogLevel.KERN_SOH_ASCII) {
            char c = message.charAt(index + 1);
            if ((c >= '0' && c <= '7') || c == 'c') {
                return c;
            }
        }
        return 0;
    }

    /** printk_skip_headers(): the text after all level prefixes. */
    public static String skipHeaders(String message) {
        return parse(message).text();
    }

    /** The level the record is stored with: the prefix's, or default_message_loglevel (vprintk_store). */
    public LogLevel levelOrDefault(int defaultMessageLoglevel) {
        return level.orElseGet(() -> LogLevel.of(defaultMessageLoglevel));
    }
}
