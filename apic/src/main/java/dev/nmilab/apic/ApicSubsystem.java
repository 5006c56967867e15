package dev.nmilab.apic;

import dev.nmilab.kernel.runtime.Resources;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.runtime.KernelSubsystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The local APICs as the kernel sets them up at boot (setup_local_APIC: LINT1 NMI on the BSP,
 * LVTPC NMI, timer vector 0xec), and the local timer interrupt whose work others add to
 * (the watchdog's hrtimer among them).
 */
public final class ApicSubsystem implements KernelSubsystem {
    public static final int LOCAL_TIMER_VECTOR = 0xec;

    private final List<IntConsumer> timerWork = new ArrayList<>();
    private ApicBus bus;

    public ApicBus bus() {
        if (bus == null) {
            throw new IllegalStateException("the local APICs exist only after boot");
        }
        return bus;
    }

    /** Run {@code work} (given the CPU index) on every local timer interrupt. */
    public void onLocalTimer(IntConsumer work) {
        timerWork.add(work);
    }

    @Override
    public void install(KernelRuntime runtime) {
        runtime.registerGate("sysvec_apic_timer_interrupt", call -> {
            int cpu = call.cpu().index();
            timerWork.forEach(work -> work.accept(cpu));
            bus.apic(cpu).eoi();
            return 0;
        });
    }

    @Override
    public List<Map.Entry<String, String>> stubs() {
        return List.of(Map.entry("apic/timer-entry.S", Resources.text("dev/nmilab/apic/timer-entry.S")));
    }

    @Override
    public void started(KernelRuntime runtime) {
        bus = ApicBus.attach(runtime.machine());
        bus.linuxBootSetupAll(ExtNmi.BSP);
    }

}
