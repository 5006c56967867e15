package dev.nmilab.kdump.printk;

import dev.nmilab.kdump.kexec.KdumpSubsystem;
import dev.nmilab.kernel.lock.PrintkCpuSync;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.runtime.KernelSubsystem;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Threaded console printing and the panic() that goes with it, for the profiles that have a
 * printer kthread ({@link PrintkFlavor}): the printer starts on CPU 1 (CPU 0 on a one-CPU
 * machine), printk() from then on only stores, and panic() is {@link RtPanic}.
 */
public final class RtPrintkSubsystem implements KernelSubsystem {
    private final KdumpSubsystem kdump;
    private final PrintkFlavor flavor;
    private final PrintkCpuSync cpuSync = new PrintkCpuSync();
    private final NbconOwner nbcon = new NbconOwner();
    private ConsolePrinter printer;
    private int printerCpu = -1;
    private RtPanic panic;

    public RtPrintkSubsystem(KdumpSubsystem kdump, PrintkFlavor flavor) {
        this.kdump = kdump;
        this.flavor = flavor;
    }

    @Override
    public String name() {
        return "printk";
    }

    @Override
    public void started(KernelRuntime runtime) {
        var services = runtime.services();
        printer = new ConsolePrinter(services.printk(), services.panic(), flavor.ownership(), cpuSync, nbcon);
        printerCpu = runtime.machine().cpuCount() > 1 ? 1 : 0;
        printer.start(services.scheduler(), printerCpu);
        panic = new RtPanic(runtime, kdump, flavor, cpuSync, nbcon);
        services.panic().setPanicPath(panic);
        if (flavor.panicCpuOwnsRing()) {
            services.printk().dropRecordsFrom(cpu -> panic.panicCpu() >= 0 && cpu != panic.panicCpu());
        }
    }

    public PrintkCpuSync cpuSync() {
        return cpuSync;
    }

    @Override
    public Map<String, Long> counters(int cpu) {
        Map<String, Long> counters = new LinkedHashMap<>();
        if (printer != null && cpu == printerCpu) {
            counters.put("printer_records", printer.recordsPrinted());
        }
        if (panic != null && cpu == panic.panicCpu()) {
            counters.put("panic_flush_records", panic.recordsFlushed());
            counters.put("panic_flush_start_ns", panic.flushStartNs());
            counters.put("panic_flush_end_ns", panic.flushEndNs());
        }
        return counters;
    }
}
