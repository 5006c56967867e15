package dev.nmilab.nmi;

import dev.nmilab.kernel.runtime.Resources;
import com.google.inject.Inject;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.runtime.KernelSubsystem;
import dev.nmilab.nmi.entry.NmiEntryVariant;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The NMI subsystem on one machine: the entry stub variant the profile chose, do_nmi behind it,
 * the handler lists, the reason port, and the nmimgr policy from the command line.
 */
public final class NmiSubsystem implements KernelSubsystem {
    private final NmiEntryVariant variant;
    private final NmiHandlers handlers = new NmiHandlers();
    private final NmiReasonPort reasonPort = new NmiReasonPort();
    private DefaultDoNmi defaultDoNmi;
    private ExcNmi excNmi;
    private BiConsumer<KernelRuntime, Integer> platformLine;

    private final dev.nmilab.apic.ApicSubsystem apics;
    private dev.nmilab.nmi.watchdog.HardLockupDetector watchdog;
    private KernelRuntime runtime;
    private EntryCounters entryCounters;
    private int asmHandlers;

    /** A stub symbol that, when defined, is registered as an assembly NMI_LOCAL handler. */
    public static final String ASM_HANDLER_SYMBOL = "nmi_asm_handler";
    private static final int ASM_HANDLERS_MAX = 8;

    /**
     * register_nmi_handler(NMI_LOCAL, ...) for a handler written in assembly at {@code address}: it
     * runs as instructions from do_nmi, before the Java NMI_LOCAL handlers (after boot).
     */
    public void registerAsmHandler(long address) {
        if (asmHandlers == ASM_HANDLERS_MAX) {
            throw new IllegalStateException("at most " + ASM_HANDLERS_MAX + " assembly NMI handlers");
        }
        long table = runtime.symbol("nmi_asm_handler_table").orElseThrow();
        runtime.machine().kernelSpace().writeLong(table + 8L * asmHandlers++, address);
        excNmi.enableAsmHandlers();
    }

    @Override
    public Map<Integer, Integer> istOverrides() {
        return Map.of(dev.nmilab.x86.Vector.NMI, variant.nmiIst()); // IST 0: the interrupted stack
    }

    @Override
    public String name() {
        return "nmi_handling";
    }

    /** Like the NMI row of /proc/interrupts and nmi_stats, plus what the entry stub did. */
    @Override
    public Map<String, Long> counters(int cpu) {
        Map<String, Long> counters = new java.util.LinkedHashMap<>();
        counters.put("do_nmi", excNmi.nmiCount(cpu));
        NmiStats stats = defaultDoNmi.stats(cpu);
        counters.put("handled_local", stats.normal());
        counters.put("unknown", stats.unknown());
        counters.put("external", stats.external());
        counters.put("swallowed", stats.swallow());
        if (entryCounters != null) {
            counters.putAll(entryCounters.derived(variant, cpu, excNmi.nmiCount(cpu)));
        }
        return counters;
    }

    @Inject
    public NmiSubsystem(NmiEntryVariant variant, dev.nmilab.apic.ApicSubsystem apics) {
        this.variant = variant;
        this.apics = apics;
        // board NMIs come in on the BSP's LINT1 (or whichever CPU the event names)
        this.platformLine = (runtime, cpu) -> apics.bus().apic(cpu).assertLint1();
    }

    /** The hardlockup detector, or null when nmi_watchdog is off. */
    public dev.nmilab.nmi.watchdog.HardLockupDetector watchdog() {
        return watchdog;
    }

    public NmiEntryVariant variant() {
        return variant;
    }

    public NmiHandlers handlers() {
        return handlers;
    }

    public NmiReasonPort reasonPort() {
        return reasonPort;
    }

    public DefaultDoNmi defaultDoNmi() {
        return defaultDoNmi;
    }

    public ExcNmi excNmi() {
        return excNmi;
    }

    /** How a board NMI reaches a CPU (the APIC subsystem routes it through LINT1). */
    public void setPlatformLine(BiConsumer<KernelRuntime, Integer> line) {
        this.platformLine = line;
    }

    void platformNmi(KernelRuntime runtime, int cpu) {
        platformLine.accept(runtime, cpu);
    }

    @Override
    public void install(KernelRuntime runtime) {
        runtime.machine().ports().register(NmiReasonPort.PORT, NmiReasonPort.PORT, reasonPort);
        defaultDoNmi = new DefaultDoNmi(handlers, reasonPort, runtime.machine().cpuCount());
        excNmi = new ExcNmi(runtime, defaultDoNmi);
        runtime.registerGate(ExcNmi.GATE, excNmi::call);
        runtime.registerGate(ExcNmi.FINISH_GATE, excNmi::finish);
    }

    @Override
    public List<Map.Entry<String, String>> stubs() {
        return List.of(Map.entry("nmi/bug-sites.S", Resources.text("dev/nmilab/nmi/bug-sites.S")),
                Map.entry("nmi/asm-handlers.S", Resources.text("dev/nmilab/nmi/asm-handlers.S")),
                Map.entry("nmi/" + variant.resourceName(), variant.source()));
    }

    @Override
    public void started(KernelRuntime runtime) {
        this.runtime = runtime;
        entryCounters = new EntryCounters(runtime.machine(), runtime::symbol);
        // a loaded stub defining nmi_asm_handler contributes an NMI_LOCAL handler in assembly
        runtime.symbol(ASM_HANDLER_SYMBOL).ifPresent(this::registerAsmHandler);
        NmiPolicy.fromCommandLine(runtime.services().cmdline(), runtime.services().printk(), handlers);
        watchdog = dev.nmilab.nmi.watchdog.HardLockupDetector.start(runtime, apics, handlers);
    }

}
