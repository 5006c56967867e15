package dev.nmilab.kdump.kexec;

import dev.nmilab.kdump.vmcore.CpuCrashRegisters;
import dev.nmilab.kdump.vmcore.VmcoreContents;
import dev.nmilab.kdump.vmcore.VmcoreWriter;
import dev.nmilab.kdump.vmcore.Vmcoreinfo;
import dev.nmilab.kernel.panic.KernelOutcome;
import dev.nmilab.kernel.printk.DmesgFormat;
import dev.nmilab.kernel.printk.LogRecord;
import dev.nmilab.kernel.printk.PrintkRingbuffer;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.memory.GuestMemory;
import dev.nmilab.memory.KernelLayout;
import dev.nmilab.x86.Cpu;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The capture kernel, as far as nmilab models it: once machine_kexec has jumped, it boots (a fixed
 * span of virtual time) and saves /proc/vmcore as DIR/vmcore and the log as DIR/vmcore-dmesg.txt,
 * each written under a temporary name and renamed, as kdump's makedumpfile and vmcore-dmesg do.
 */
final class CaptureKernel {
    /** Boot of the kdump kernel and its initramfs up to the dump: nmilab's choice, documented. */
    static final long BOOT_NS = 2_000_000_000L;
    /**
     * What the machine's real-time clock reads at boot (2023-11-14 22:13:20 UTC): nmilab's fixed
     * choice, so that CRASHTIME, ktime_get_real_seconds() at the crash (crash_save_vmcoreinfo() in
     * kernel/crash_core.c), is never 0 (makedumpfile rejects 0) and runs stay byte-identical.
     */
    static final long BOOT_REALTIME_SECONDS = 1_700_000_000L;

    private final KernelRuntime runtime;
    private final CrashNotes notes;

    CaptureKernel(KernelRuntime runtime, CrashNotes notes) {
        this.runtime = runtime;
        this.notes = notes;
    }

    /** The capture kernel, booted on {@code cpu}, saves the dump and the run ends. */
    void saveDump(Cpu cpu) {
        Path directory = runtime.outputDirectory().orElseThrow(
                () -> new IllegalStateException("the capture kernel has nowhere to save the vmcore"));
        KernelOutcome outcome = runtime.services().outcome();
        try {
            Files.createDirectories(directory);
            String vmcoreinfo = vmcoreinfo(runtime.services().identity().release(),
                    BOOT_REALTIME_SECONDS + outcome.panicTimeNs() / 1_000_000_000L);
            List<CpuCrashRegisters> cpus = new ArrayList<>();
            for (Cpu each : runtime.machine().cpus()) {
                CrashNotes.Saved saved = notes.saved().get(each.index());
                cpus.add(saved == null
                        ? new CpuCrashRegisters(each.index(), 0, new long[CpuCrashRegisters.NGREG])
                        : new CpuCrashRegisters(each.index(), saved.pid(), saved.regs()));
            }
            long imageStart = KernelLayout.KERNEL_TEXT_PHYSICAL;
            long imageEnd = runtime.imageEndPhysical();
            new VmcoreWriter().write(directory.resolve("vmcore"), new VmcoreContents(cpus, vmcoreinfo,
                    runtime.machine().symbols().all(), runtime.machine().physical(), imageStart, imageEnd));
            writeAtomically(directory.resolve("vmcore-dmesg.txt"), dmesg(KernelRuntime.logBufferAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        outcome.ended(KernelOutcome.Ending.VMCORE_SAVED, "the capture kernel saved vmcore and vmcore-dmesg.txt ("
                + notes.saved().size() + " of " + runtime.machine().cpuCount() + " CPUs' registers)");
        cpu.haltForever("capture kernel done: vmcore saved");
        runtime.machine().scheduler().stop("vmcore saved");
    }

    /**
     * The VMCOREINFO note of this kernel: what crash_save_vmcoreinfo_init() records at boot
     * (init_uts_ns, init_top_pgt, mem_section and struct page, the printk ring of
     * log_buf_vmcoreinfo_setup()) and the CRASHTIME crash_save_vmcoreinfo() adds.
     */
    static String vmcoreinfo(String release, long crashTimeSeconds) {
        return Vmcoreinfo.builder(release)
                .symbol("init_uts_ns", KernelRuntime.initUtsNsAddress())
                .symbol("init_top_pgt", KernelRuntime.initTopPgtAddress())
                .entries(MemSection.vmcoreinfoEntries(MemSection.roots()))
                .entries(PrintkRingbuffer.vmcoreinfoEntries(KernelRuntime.logBufferAddress()))
                .crashTime(crashTimeSeconds)
                .build();
    }

    /** What vmcore-dmesg prints: every record still in the printk ring (*prb), dmesg style. */
    private String dmesg(long logBase) {
        GuestMemory kernel = runtime.machine().kernelSpace();
        StringBuilder text = new StringBuilder();
        for (LogRecord record : PrintkRingbuffer.read(kernel, kernel.readLong(logBase + PrintkRingbuffer.PRB))) {
            text.append(DmesgFormat.line(record.timestampNs(), record.text())).append('\n');
        }
        return text.toString();
    }

    private static void writeAtomically(Path target, String text) throws IOException {
        Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
