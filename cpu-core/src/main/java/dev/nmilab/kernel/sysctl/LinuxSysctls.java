package dev.nmilab.kernel.sysctl;

import java.util.List;

/**
 * The sysctls the NMI, panic, lockup-detector and kdump models read, with their upstream Linux
 * 6.1 defaults as a defconfig x86_64 build has them. Sources: kernel/sysctl.c (the x86 NMI
 * entries), kernel/panic.c, kernel/watchdog.c, kernel/printk/sysctl.c, drivers/tty/sysrq.c,
 * mm/oom_kill.c.
 */
public final class LinuxSysctls {
    private LinuxSysctls() {
    }

    /** Default values printk's console_printk[] starts with: console, default message, minimum, boot-time default. */
    public static final List<Integer> PRINTK_DEFAULTS = List.of(7, 4, 1, 7);

    public static List<SysctlDefinition> v6_1() {
        return List.of(
                SysctlDefinition.integer("kernel.panic", 0,
                        "panic_timeout: seconds to wait before rebooting after a panic, 0 waits forever,"
                                + " negative reboots at once (CONFIG_PANIC_TIMEOUT, default 0)"),
                SysctlDefinition.integer("kernel.panic_on_oops", 0,
                        "panic instead of killing the task when an oops happens"
                                + " (CONFIG_PANIC_ON_OOPS_VALUE, default 0)"),
                SysctlDefinition.integer("kernel.unknown_nmi_panic", 0,
                        "panic on an NMI that no handler claims and no reason port bit explains"),
                SysctlDefinition.integer("kernel.panic_on_unrecovered_nmi", 0,
                        "panic on a memory parity/SERR NMI (reason port bit 7)"),
                SysctlDefinition.integer("kernel.panic_on_io_nmi", 0,
                        "panic on an I/O channel check NMI (reason port bit 6)"),
                SysctlDefinition.integer("kernel.nmi_watchdog", 1, 0, 1,
                        "hard lockup detector on/off (proc_nmi_watchdog; 1 with CONFIG_HARDLOCKUP_DETECTOR)"),
                SysctlDefinition.integer("kernel.watchdog_thresh", 10, 0, 60,
                        "lockup detector threshold in seconds; the hard lockup period, soft is twice it"
                                + " (proc_watchdog_thresh)"),
                SysctlDefinition.integer("kernel.hardlockup_panic", 0, 0, 1,
                        "panic when a hard lockup is detected"
                                + " (IS_ENABLED(CONFIG_BOOTPARAM_HARDLOCKUP_PANIC), off in defconfig)"),
                SysctlDefinition.integer("kernel.softlockup_panic", 0, 0, 1,
                        "panic when a soft lockup is detected"
                                + " (IS_ENABLED(CONFIG_BOOTPARAM_SOFTLOCKUP_PANIC), off in defconfig)"),
                SysctlDefinition.intVector("kernel.printk", PRINTK_DEFAULTS,
                        "console_loglevel, default_message_loglevel, minimum_console_loglevel,"
                                + " default_console_loglevel; upstream starts at 7 4 1 7"
                                + " (CONFIG_CONSOLE_LOGLEVEL_DEFAULT=7); the 4 4 1 7 seen on distributions"
                                + " comes from the 'quiet' boot option lowering console_loglevel to 4"),
                SysctlDefinition.integer("kernel.sysrq", 16,
                        "magic SysRq bitmask. The kernel's own default is CONFIG_MAGIC_SYSRQ_DEFAULT_ENABLE"
                                + " (Kconfig default 0x1, distribution configs vary); 16 (sync only) is what"
                                + " systemd's 50-default.conf sets at boot, modelled here as the default"),
                SysctlDefinition.integer("vm.panic_on_oom", 0, 0, 2,
                        "0 kills a task on OOM, 1 panics unless the OOM is cpuset/mempolicy/memcg"
                                + " constrained, 2 always panics"));
    }
}
