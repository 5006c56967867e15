package dev.nmilab.nmi;

import dev.nmilab.kernel.KernelParamException;
import dev.nmilab.kernel.bitmap.BitmapList;
import dev.nmilab.kernel.cmdline.KernelCommandLine;
import dev.nmilab.kernel.printk.LogLevel;
import dev.nmilab.kernel.printk.Printk;
import java.util.Optional;

/**
 * A per-event NMI policy after the nmimgr proposal (LKML, May 2017): the event is the NMI reason
 * byte; nmimgr.events_ignore lets it pass silently to the other handlers, nmimgr.events_drop
 * claims it so no other handler runs, nmimgr.events_panic panics; checked in that order. The
 * handler sits first on NMI_UNKNOWN, NMI_SERR and NMI_IO_CHECK. An invalid list turns the whole
 * policy off, saying which text was wrong.
 */
public final class NmiPolicy implements NmiHandler {
    public static final String NAME = "nmimgr";
    private static final int EVENTS = 256;

    private final BitmapList ignore;
    private final BitmapList drop;
    private final BitmapList panic;

    private NmiPolicy(BitmapList ignore, BitmapList drop, BitmapList panic) {
        this.ignore = ignore;
        this.drop = drop;
        this.panic = panic;
    }

    /**
     * The policy the command line asks for, registered on the three lists; empty when no
     * nmimgr parameter is given or one of the lists is invalid (then an error is printed).
     */
    public static Optional<NmiPolicy> fromCommandLine(KernelCommandLine cmdline, Printk printk, NmiHandlers handlers) {
        String[] keys = {"nmimgr.events_ignore", "nmimgr.events_drop", "nmimgr.events_panic"};
        BitmapList[] lists = new BitmapList[keys.length];
        boolean any = false;
        for (int i = 0; i < keys.length; i++) {
            Optional<String> text = cmdline.string(keys[i]);
            any |= text.isPresent();
            try {
                lists[i] = text.isPresent() ? BitmapList.parse(text.get(), EVENTS) : BitmapList.empty(EVENTS);
            } catch (KernelParamException e) {
                printk.printk(0, LogLevel.KERN_ERR, String.format(
                        "nmimgr: %s=%s is not a valid event list (%s); NMI event policy disabled", keys[i],
                        text.get(), e.getMessage()));
                return Optional.empty();
            }
        }
        if (!any) {
            return Optional.empty();
        }
        NmiPolicy policy = new NmiPolicy(lists[0], lists[1], lists[2]);
        for (NmiType type : new NmiType[] {NmiType.NMI_UNKNOWN, NmiType.NMI_SERR, NmiType.NMI_IO_CHECK}) {
            handlers.registerNmiHandler(type, policy, NmiHandlers.NMI_FLAG_FIRST, NAME);
        }
        printk.printk(0, LogLevel.KERN_INFO, String.format("nmimgr: NMI event policy on: ignore %s, drop %s, panic %s",
                show(lists[0]), show(lists[1]), show(lists[2])));
        return Optional.of(policy);
    }

    private static String show(BitmapList list) {
        String text = list.format();
        return text.isEmpty() ? "none" : text;
    }

    @Override
    public int handle(NmiType type, NmiContext context) {
        int event = context.reason() & 0xff;
        if (ignore.contains(event)) {
            return 0;
        }
        Printk printk = context.services().printk();
        int cpu = context.processorId();
        if (drop.contains(event)) {
            printk.printk(cpu, LogLevel.KERN_NOTICE, String.format(
                    "nmimgr: NMI event 0x%02x (%d) on CPU %d dropped by policy", event, event, cpu));
            return 1;
        }
        if (panic.contains(event)) {
            printk.printk(cpu, LogLevel.KERN_EMERG, String.format(
                    "nmimgr: NMI event 0x%02x (%d) on CPU %d is set to panic", event, event, cpu));
            DefaultDoNmi.nmiPanic(context, "nmimgr: panic on NMI event " + event);
            return 1;
        }
        printk.printk(cpu, LogLevel.KERN_NOTICE, String.format(
                "nmimgr: NMI event 0x%02x (%d) on CPU %d has no policy; passing it on", event, event, cpu));
        return 0;
    }
}
