package dev.nmilab.kernel.printk;

/**
 * The printk log levels of include/linux/kern_levels.h. Each level's prefix is KERN_SOH ("\001")
 * followed by its digit; KERN_CONT is "\001c"; KERN_DEFAULT is the empty string since Linux 5.x,
 * and a message without a level gets default_message_loglevel (the second kernel.printk value).
 */
public enum LogLevel {
    KERN_EMERG(0, "emerg"),
    KERN_ALERT(1, "alert"),
    KERN_CRIT(2, "crit"),
    KERN_ERR(3, "err"),
    KERN_WARNING(4, "warn"),
    KERN_NOTICE(5, "notice"),
    KERN_INFO(6, "info"),
    KERN_DEBUG(7, "debug");

    /** The ASCII Start Of Header that opens every level prefix. */
    public static final char KERN_SOH_ASCII = '\001';
    public static final String KERN_SOH = "\001";
    /** Continues the previous record instead of starting a new one. */
    public static final String KERN_CONT = KERN_SOH + "c";
    /** "Use the default level": no prefix at all. */
    public static final String KERN_DEFAULT = "";
    /** LOGLEVEL_DEFAULT: printk() was not told a level. */
    public static final int LOGLEVEL_DEFAULT = -1;
    /** CONFIG_MESSAGE_LOGLEVEL_DEFAULT in 6.1 defconfig: messages without a level are KERN_WARNING. */
    public static final int MESSAGE_LOGLEVEL_DEFAULT = 4;

    private final int level;
    private final String syslogName;

    LogLevel(int level, String syslogName) {
        this.level = level;
        this.syslogName = syslogName;
    }

    public int level() {
        return level;
    }

    /** The prefix printk() format strings start with, e.g. "\0016" for KERN_INFO. */
    public String prefix() {
        return KERN_SOH + level;
    }

    /** The short name dmesg --decode shows ("err", "warn", ...). */
    public String syslogName() {
        return syslogName;
    }

    public static LogLevel of(int level) {
        if (level < 0 || level > 7) {
            throw new IllegalArgumentException("log level must be 0..7, was " + level);
        }
        return values()[level];
    }
}
