package dev.nmilab.nmi;

import dev.nmilab.kernel.printk.LogLevel;
import dev.nmilab.kernel.runtime.KernelServices;
import dev.nmilab.x86.Cpu;

/**
 * default_do_nmi and its helpers (arch/x86/kernel/nmi.c, 6.1): NMI_LOCAL handlers first; if none
 * claims the NMI, the reason port decides SERR / IOCHK / unknown; the back-to-back "swallow"
 * heuristic eats an unknown NMI that is the second half of a pair after a handler claimed two
 * events. Its known miss is kept: a real unknown NMI arriving in that window is swallowed too.
 */
public final class DefaultDoNmi {
    private final NmiHandlers handlers;
    private final NmiReasonPort reasonPort;
    private final NmiStats[] stats;

    public DefaultDoNmi(NmiHandlers handlers, NmiReasonPort reasonPort, int cpus) {
        this.handlers = handlers;
        this.reasonPort = reasonPort;
        this.stats = new NmiStats[cpus];
        for (int i = 0; i < cpus; i++) {
            stats[i] = new NmiStats();
        }
    }

    public NmiStats stats(int cpu) {
        return stats[cpu];
    }

    public void defaultDoNmi(NmiContext context) {
        defaultDoNmi(context, 0);
    }

    /** @param asmHandled what the NMI_LOCAL handlers written in assembly already handled */
    public void defaultDoNmi(NmiContext context, int asmHandled) {
        NmiStats mine = stats[context.processorId()];
        boolean b2b = false;
        if (context.regs().ip() == mine.lastNmiRip) {
            b2b = true;
        } else {
            mine.swallowNmi = false;
        }
        mine.lastNmiRip = context.regs().ip();

        int handled = asmHandled + handlers.nmiHandle(NmiType.NMI_LOCAL, context);
        mine.normal += handled;
        if (handled > 0) {
            if (handled > 1) {
                mine.swallowNmi = true; // a second event may already be latched behind this one
            }
            return;
        }
        int reason = context.reason();
        if ((reason & NmiReasonPort.NMI_REASON_MASK) != 0) {
            if ((reason & NmiReasonPort.NMI_REASON_SERR) != 0) {
                pciSerrError(reason, context);
            } else if ((reason & NmiReasonPort.NMI_REASON_IOCHK) != 0) {
                ioCheckError(reason, context);
            }
            mine.external++;
            return;
        }
        if (b2b && mine.swallowNmi) {
            mine.swallow++;
        } else {
            unknownNmiError(reason, context);
        }
    }

    private void pciSerrError(int reason, NmiContext context) {
        if (handlers.nmiHandle(NmiType.NMI_SERR, context) > 0) {
            return;
        }
        KernelServices services = context.services();
        emerg(context, String.format("NMI: PCI system error (SERR) for reason %02x on CPU %d.", reason,
                context.processorId()));
        if (services.sysctls().intValue("kernel.panic_on_unrecovered_nmi") != 0) {
            nmiPanic(context, "NMI: Not continuing");
            return;
        }
        emerg(context, "Dazed and confused, but trying to continue");
        // clear and disable the PCI SERR line
        outb(context, (reason & NmiReasonPort.NMI_REASON_CLEAR_MASK) | NmiReasonPort.NMI_REASON_CLEAR_SERR);
    }

    private void ioCheckError(int reason, NmiContext context) {
        if (handlers.nmiHandle(NmiType.NMI_IO_CHECK, context) > 0) {
            return;
        }
        KernelServices services = context.services();
        emerg(context, String.format("NMI: IOCK error (debug interrupt?) for reason %02x on CPU %d.", reason,
                context.processorId()));
        // show_regs (arch/x86/kernel/dumpstack.c): print info, registers, and for kernel-mode regs
        // the trace of the interrupted context (show_trace_log_lvl from regs, so no <NMI> section)
        services.die().printInfo(context.processorId(), services.scheduler().current(context.processorId()));
        services.die().showRegs(context.processorId(), context.regs());
        services.die().callTrace(context.processorId(), services.scheduler().current(context.processorId()), null,
                java.util.List.of());
        if (services.sysctls().intValue("kernel.panic_on_io_nmi") != 0) {
            nmiPanic(context, "NMI IOCK error: Not continuing");
            return;
        }
        int clear = (reason & NmiReasonPort.NMI_REASON_CLEAR_MASK) | NmiReasonPort.NMI_REASON_CLEAR_IOCHK;
        outb(context, clear);
        // i = 20000; while (--i) { touch_nmi_watchdog(); udelay(100); }: 19999 x 100 us in NMI context
        context.cpu().addBusyTime(19_999 * 100_000L);
        outb(context, clear & ~NmiReasonPort.NMI_REASON_CLEAR_IOCHK);
    }

    private void unknownNmiError(int reason, NmiContext context) {
        NmiStats mine = stats[context.processorId()];
        int handled = handlers.nmiHandle(NmiType.NMI_UNKNOWN, context);
        if (handled > 0) {
            mine.unknown += handled;
            return;
        }
        mine.unknown++;
        emerg(context, String.format("Uhhuh. NMI received for unknown reason %02x on CPU %d.", reason,
                context.processorId()));
        KernelServices services = context.services();
        if (services.sysctls().intValue("kernel.unknown_nmi_panic") != 0
                || services.sysctls().intValue("kernel.panic_on_unrecovered_nmi") != 0) {
            nmiPanic(context, "NMI: Not continuing");
            return;
        }
        emerg(context, "Dazed and confused, but trying to continue");
    }

    /** nmi_panic: panic, or stop this CPU when another one is already panicking (kernel/panic.c). */
    static void nmiPanic(NmiContext context, String message) {
        context.services().panic().panic(context.processorId(), message);
    }

    private void outb(NmiContext context, int value) {
        Cpu cpu = context.cpu();
        reasonPort.out(cpu, NmiReasonPort.PORT, 1, value);
    }

    private static void emerg(NmiContext context, String text) {
        context.services().printk().printk(context.processorId(), LogLevel.KERN_EMERG, text);
    }
}
