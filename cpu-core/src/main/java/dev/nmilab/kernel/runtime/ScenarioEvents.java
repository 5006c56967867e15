package dev.nmilab.kernel.runtime;

import dev.nmilab.event.Note;
import dev.nmilab.kernel.printk.LogLevel;
import dev.nmilab.scenario.EventSpec;
import dev.nmilab.scenario.events.IpiDestination;
import dev.nmilab.scenario.events.IpiEvent;
import dev.nmilab.scenario.events.IpiMode;
import dev.nmilab.scenario.events.IrqEvent;
import dev.nmilab.scenario.events.NmiEvent;
import dev.nmilab.scenario.events.SysctlWrite;
import dev.nmilab.scenario.events.SysrqEvent;
import dev.nmilab.x86.Cpu;

/** What the core scenario events do to a running kernel when their trigger fires. */
public final class ScenarioEvents {
    private ScenarioEvents() {
    }

    /** Apply a core event; false when the spec is not a core one (a plugin's handler takes it). */
    public static boolean apply(KernelRuntime runtime, EventSpec spec) {
        KernelServices services = runtime.services();
        switch (spec) {
            case NmiEvent nmi -> runtime.machine().cpu(nmi.cpu()).raiseNmi("scenario nmi");
            case IrqEvent irq -> runtime.machine().cpu(irq.cpu()).raiseInterrupt(irq.vector());
            case IpiEvent ipi -> sendIpi(runtime, ipi);
            case SysctlWrite write -> services.sysctls().write(write.name(), write.value());
            case SysrqEvent sysrq -> handleSysrq(runtime, sysrq);
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void sendIpi(KernelRuntime runtime, IpiEvent ipi) {
        for (Cpu target : runtime.machine().cpus()) {
            boolean hit = switch (ipi.destination()) {
                case IpiDestination.Cpu one -> target.index() == one.cpu();
                case IpiDestination.Shorthand shorthand -> switch (shorthand) {
                    case SELF -> target.index() == ipi.sourceCpu();
                    case ALL -> true;
                    case ALL_BUT_SELF -> target.index() != ipi.sourceCpu();
                };
            };
            if (!hit) {
                continue;
            }
            if (ipi.mode() == IpiMode.NMI) {
                target.raiseNmi("IPI from CPU " + ipi.sourceCpu());
            } else {
                target.raiseInterrupt(ipi.vector().orElseThrow());
            }
        }
    }

    /** drivers/tty/sysrq.c: __handle_sysrq prints the action, 'c' is sysrq_handle_crash. */
    private static void handleSysrq(KernelRuntime runtime, SysrqEvent sysrq) {
        KernelServices services = runtime.services();
        int cpu = sysrq.cpu();
        if (sysrq.key() == 'c') {
            services.printk().printk(cpu, LogLevel.KERN_INFO, "sysrq: Trigger a crash");
            services.panic().panic(cpu, "sysrq triggered crash");
            return;
        }
        runtime.machine().events().publish(new Note(runtime.machine().cpu(cpu).now(), cpu, "sysrq",
                "sysrq key '" + sysrq.key() + "' is not modelled; ignored"));
    }
}
