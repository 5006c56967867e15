package dev.nmilab.nmi;

import com.google.inject.Inject;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.runtime.KernelSubsystem;
import dev.nmilab.nmi.entry.NmiEntryVariant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
    }

    @Override
    public List<Map.Entry<String, String>> stubs() {
        return List.of(Map.entry("nmi/bug-sites.S", resource("dev/nmilab/nmi/bug-sites.S")),
                Map.entry("nmi/" + variant.resourceName(), variant.source()));
    }

    @Override
    public void started(KernelRuntime runtime) {
        NmiPolicy.fromCommandLine(runtime.services().cmdline(), runtime.services().printk(), handlers);
        watchdog = dev.nmilab.nmi.watchdog.HardLockupDetector.start(runtime, apics, handlers);
    }

    private static String resource(String path) {
        try (InputStream in = NmiSubsystem.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
