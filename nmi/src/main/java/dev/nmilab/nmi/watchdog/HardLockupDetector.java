package dev.nmilab.nmi.watchdog;

import dev.nmilab.apic.ApicBus;
import dev.nmilab.apic.ApicDef;
import dev.nmilab.apic.ApicSubsystem;
import dev.nmilab.apic.LocalApic;
import dev.nmilab.kernel.cmdline.KernelCommandLine;
import dev.nmilab.kernel.printk.LogLevel;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.runtime.KernelServices;
import dev.nmilab.kernel.sysctl.Sysctls;
import dev.nmilab.nmi.NmiContext;
import dev.nmilab.nmi.NmiHandlers;
import dev.nmilab.nmi.NmiType;
import java.util.List;

/**
 * The perf-based hardlockup detector (kernel/watchdog.c, kernel/watchdog_hld.c in 6.1): each CPU's
 * cycle counter overflows every watchdog_thresh seconds of unhalted time and raises a PMI, an
 * NMI; the watchdog hrtimer, a real local timer interrupt every 2*thresh/5 seconds, counts
 * hrtimer_interrupts. When two PMIs see the same count, the CPU has not taken a timer interrupt
 * for a whole period: "NMI watchdog: Watchdog detected hard LOCKUP on cpu N", and a panic with hardlockup_panic.
 */
public final class HardLockupDetector {
    private static final long NSEC_PER_SEC = 1_000_000_000L;
    private static final int TIMER_DIVISOR = 16;
    /** kernel/watchdog_hld.c: #define pr_fmt(fmt) "NMI watchdog: " fmt (6.1; the check moved to watchdog.c in 6.5). */
    private static final String PR_FMT = "NMI watchdog: ";

    private final KernelRuntime runtime;
    private final ApicSubsystem apics;
    private final long[] hrtimerInterrupts;
    private final long[] hrtimerInterruptsSaved;
    private final long[] pmisSeen;
    private final boolean[] hardWatchdogWarn;
    private long lockupsDetected;

    private HardLockupDetector(KernelRuntime runtime, ApicSubsystem apics) {
        this.runtime = runtime;
        this.apics = apics;
        int cpus = runtime.machine().cpuCount();
        hrtimerInterrupts = new long[cpus];
        hrtimerInterruptsSaved = new long[cpus];
        pmisSeen = new long[cpus];
        hardWatchdogWarn = new boolean[cpus];
    }

    /**
     * Start the detector as lockup_detector_init would: unless nmi_watchdog=0 (or the sysctl is 0,
     * or watchdog_thresh is 0); nmi_watchdog=panic|nopanic set hardlockup_panic.
     */
    public static HardLockupDetector start(KernelRuntime runtime, ApicSubsystem apics, NmiHandlers handlers) {
        KernelServices services = runtime.services();
        Sysctls sysctls = services.sysctls();
        applyCommandLine(services.cmdline(), sysctls);
        if (sysctls.intValue("kernel.nmi_watchdog") == 0 || sysctls.intValue("kernel.watchdog_thresh") == 0) {
            return null;
        }
        HardLockupDetector detector = new HardLockupDetector(runtime, apics);
        long thresholdNs = sysctls.intValue("kernel.watchdog_thresh") * NSEC_PER_SEC;
        long samplePeriodNs = 2 * thresholdNs / 5; // get_softlockup_thresh() * NSEC_PER_SEC / 5
        ApicBus bus = apics.bus();
        for (int cpu = 0; cpu < runtime.machine().cpuCount(); cpu++) {
            bus.perfCounter(cpu).program(thresholdNs); // hw_nmi_get_sample_period: cycles in thresh seconds
            LocalApic apic = bus.apic(cpu);
            apic.write(ApicDef.APIC_TDCR, ApicDef.APIC_TDR_DIV_16);
            apic.write(ApicDef.APIC_LVTT, ApicSubsystem.LOCAL_TIMER_VECTOR | ApicDef.APIC_LVT_TIMER_PERIODIC);
            apic.write(ApicDef.APIC_TMICT, (int) (samplePeriodNs / TIMER_DIVISOR));
        }
        apics.onLocalTimer(cpu -> detector.hrtimerInterrupts[cpu]++); // watchdog_timer_fn
        handlers.registerNmiHandler(NmiType.NMI_LOCAL, detector::perfEventNmiHandler, 0, "PMI");
        services.printk().printk(0, LogLevel.KERN_INFO, PR_FMT + "Enabled. Permanently consumes one hw-PMU counter.");
        return detector;
    }

    private static void applyCommandLine(KernelCommandLine cmdline, Sysctls sysctls) {
        cmdline.string("nmi_watchdog").ifPresent(value -> {
            switch (value) {
                case "0" -> sysctls.write("kernel.nmi_watchdog", "0");
                case "1" -> sysctls.write("kernel.nmi_watchdog", "1");
                case "panic" -> sysctls.write("kernel.hardlockup_panic", "1");
                case "nopanic" -> sysctls.write("kernel.hardlockup_panic", "0");
                default -> { // hardlockup_panic_setup ignores what it does not know
                }
            }
        });
    }

    public long hrtimerInterrupts(int cpu) {
        return hrtimerInterrupts[cpu];
    }

    public long lockupsDetected() {
        return lockupsDetected;
    }

    /** The PMI's NMI handler: claims the NMI when this CPU's counter overflowed, unmasks LVTPC. */
    private int perfEventNmiHandler(NmiType type, NmiContext context) {
        int cpu = context.processorId();
        ApicBus bus = apics.bus();
        long delivered = bus.perfCounter(cpu).pmisDelivered();
        if (delivered == pmisSeen[cpu]) {
            return 0;
        }
        pmisSeen[cpu] = delivered;
        bus.apic(cpu).unmaskPc(); // x86_pmu_handle_irq: apic_write(APIC_LVTPC, APIC_DM_NMI)
        watchdogOverflowCallback(context);
        return 1;
    }

    private void watchdogOverflowCallback(NmiContext context) {
        int cpu = context.processorId();
        if (!isHardlockup(cpu)) {
            hardWatchdogWarn[cpu] = false;
            return;
        }
        if (hardWatchdogWarn[cpu]) {
            return; // only print hardlockups once
        }
        lockupsDetected++;
        KernelServices services = context.services();
        services.printk().printk(cpu, LogLevel.KERN_EMERG, PR_FMT + "Watchdog detected hard LOCKUP on cpu " + cpu);
        services.printk().printk(cpu, LogLevel.KERN_WARNING, "Modules linked in:");
        services.die().printInfo(cpu, services.scheduler().current(cpu));
        services.die().showRegs(cpu, context.regs());
        services.die().callTrace(cpu, services.scheduler().current(cpu), "NMI", List.of("watchdog_overflow_callback"));
        if (services.sysctls().intValue("kernel.hardlockup_panic") != 0) {
            services.panic().panic(cpu, "Hard LOCKUP");
            return;
        }
        hardWatchdogWarn[cpu] = true;
    }

    /** is_hardlockup: no hrtimer interrupt since the last PMI. */
    private boolean isHardlockup(int cpu) {
        long now = hrtimerInterrupts[cpu];
        if (hrtimerInterruptsSaved[cpu] == now) {
            return true;
        }
        hrtimerInterruptsSaved[cpu] = now;
        return false;
    }
}
