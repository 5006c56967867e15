package dev.nmilab.kdump.kexec;

import com.google.inject.Inject;
import dev.nmilab.apic.ApicSubsystem;
import dev.nmilab.event.Note;
import dev.nmilab.kernel.printk.LogLevel;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.kernel.runtime.KernelSubsystem;
import dev.nmilab.kernel.task.Action;
import dev.nmilab.kernel.task.Task;
import dev.nmilab.memory.PhysicalMemory;
import dev.nmilab.nmi.NmiContext;
import dev.nmilab.nmi.NmiHandlers;
import dev.nmilab.nmi.NmiSubsystem;
import dev.nmilab.nmi.NmiType;
import dev.nmilab.unicorn.X86Reg;
import dev.nmilab.x86.Cpu;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * kdump on one machine: the crashkernel= reservation, a crash image loaded by a scenario step (as
 * kdump.service would), and __crash_kexec when panic() runs (kernel/kexec_core.c, arch/x86/kernel/
 * crash.c, reboot.c): every other CPU is sent an NMI (nmi_shootdown_cpus); each saves its registers
 * in its crash note and halts (crash_nmi_callback); the panic CPU waits at most a second of
 * mdelay(1)s for them, saves its own registers and jumps into the capture kernel. A CPU that is
 * already in NMI context cannot take that NMI (blocked until its IRET) and is simply left behind.
 */
public final class KdumpSubsystem implements KernelSubsystem {
    /** NMI_VECTOR: apic->send_IPI_allbutself(NMI_VECTOR) sends in NMI delivery mode. */
    private static final int NMI_VECTOR = 2;
    private static final long MSEC = 1_000_000L;
    /** How often a self-stopped CPU looks for the crash IPI: a cpu_relax loop, sampled. */
    private static final long POLL_NS = 10_000L;

    private final NmiSubsystem nmi;
    private final ApicSubsystem apics;
    private final CrashNotes notes = new CrashNotes();
    private KernelRuntime runtime;
    private Optional<CrashKernelRegion> region = Optional.empty();
    private boolean imageLoaded;
    private boolean shootingDown;
    private int panicCpu = -1;
    /** waiting_for_crash_ipi, by CPU: who has not checked in yet. */
    private final java.util.TreeSet<Integer> notStopped = new java.util.TreeSet<>();
    private long stopIssuedNs;
    private long waitedMs;
    private CaptureKernel captureKernel;

    @Inject
    public KdumpSubsystem(NmiSubsystem nmi, ApicSubsystem apics) {
        this.nmi = nmi;
        this.apics = apics;
    }

    @Override
    public String name() {
        return "kdump";
    }

    @Override
    public void install(KernelRuntime runtime) {
        this.runtime = runtime;
        region = CrashKernelRegion.fromCommandLine(runtime.services().cmdline(), runtime.machine().physical().size());
        captureKernel = new CaptureKernel(runtime, notes);
    }

    @Override
    public void started(KernelRuntime runtime) {
        // what the capture kernel's dump readers walk: page tables and memory sections
        PhysicalMemory ram = runtime.machine().physical();
        InitTopPgt.build(ram, ram.size(), runtime.imageEndPhysical());
        MemSection.build(ram, ram.size());
        region.ifPresent(r -> runtime.services().printk().printk(0, LogLevel.KERN_INFO, r.bootMessage()));
        nmi.handlers().registerNmiHandler(NmiType.NMI_LOCAL, this::crashNmiCallback, NmiHandlers.NMI_FLAG_FIRST,
                "crash");
        runtime.services().panic().setCrashKexec(this::crashKexec);
        runtime.services().panic().setSelfStop(this::selfStop);
    }

    /** kexec_file_load of a crash kernel into the reserved region; false when crashkernel= reserved none. */
    public boolean loadCrashImage() {
        Cpu cpu0 = runtime.machine().cpu(0);
        if (region.isEmpty()) {
            runtime.machine().events().publish(new Note(cpu0.now(), 0, "kexec",
                    "kexec_file_load: no memory reserved for a crash kernel (crashkernel= missing): not loaded"));
            return false;
        }
        imageLoaded = true;
        runtime.machine().events().publish(new Note(cpu0.now(), 0, "kexec", String.format(
                "crash kernel loaded at 0x%x (%d MiB reserved)", region.get().base(), region.get().size() >> 20)));
        return true;
    }

    public boolean imageLoaded() {
        return imageLoaded;
    }

    public CrashNotes notes() {
        return notes;
    }

    @Override
    public Map<String, Long> counters(int cpu) {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("crash_note_saved", notes.saved().containsKey(cpu) ? 1L : 0L);
        return counters;
    }

    /**
     * nmi_panic_self_stop / panic_smp_self_stop (arch/x86/kernel/reboot.c): a CPU in NMI context
     * cannot take the crash NMI, so it loops in run_crash_ipi_callback, checking in (registers saved,
     * halt) once the crash stop has been issued; outside NMI context it just halts.
     */
    public void selfStop(int cpu, boolean inNmi) {
        Cpu self = runtime.machine().cpu(cpu);
        if (!inNmi) {
            self.haltForever("panic_smp_self_stop");
            return;
        }
        runtime.services().scheduler().runContinuation(self, "nmi_panic_self_stop", context -> {
            if (!shootingDown) {
                return new Action.Busy(POLL_NS); // cpu_relax() until crash_ipi_issued
            }
            notes.saveCurrent(self, notePid(cpu));
            notStopped.remove(cpu);
            self.haltForever("crash_nmi_callback from run_crash_ipi_callback");
            return new Action.Exit();
        });
    }

    /** __crash_kexec: false when no crash image is loaded (panic carries on). */
    public boolean crashKexec(int cpu) {
        if (!imageLoaded) {
            return false;
        }
        Cpu self = runtime.machine().cpu(cpu);
        panicCpu = cpu;
        int[] step = {0};
        runtime.services().scheduler().runContinuation(self, "__crash_kexec", context -> switch (step[0]) {
            case 0 -> {
                step[0] = 1;
                yield crashSmpSendStop(self); // a no-op send when the rt panic order stopped them already
            }
            case 1 -> {
                if (!notStopped.isEmpty() && waitedMs < 1000) {
                    waitedMs++; // mdelay(1) while waiting_for_crash_ipi > 0, at most a second
                    yield new Action.Busy(MSEC);
                }
                step[0] = 2;
                yield machineKexec(self);
            }
            case 2 -> {
                step[0] = 3;
                captureKernel.saveDump(self);
                yield new Action.Exit();
            }
            default -> new Action.Exit();
        });
        return true;
    }

    private Action crashSmpSendStop(Cpu self) {
        crashStopOthers(self);
        return new Action.Busy(MSEC);
    }

    /**
     * Send every other CPU the crash NMI (once): each saves its registers and halts, or, in NMI
     * context already, checks in from nmi_panic_self_stop. {@link #crashStopDone} tells who has not.
     */
    public void crashStopOthers(Cpu self) {
        if (shootingDown) {
            return;
        }
        shootingDown = true;
        panicCpu = self.index();
        stopIssuedNs = self.now();
        for (Cpu other : runtime.machine().cpus()) {
            if (other != self && other.state() != Cpu.State.SHUTDOWN) {
                notStopped.add(other.index());
            }
        }
        if (!notStopped.isEmpty()) {
            apics.bus().sendIpiAllButSelf(self.index(), NMI_VECTOR);
        }
    }

    /**
     * Waiting for the stopped CPUs as a lock a panic path can spin on: "held" by the first CPU
     * that has not checked in, free once all have. A CPU in NMI context holds it until its IRET.
     */
    public dev.nmilab.kernel.lock.SpinLock crashStopDone() {
        return new dev.nmilab.kernel.lock.SpinLock() {
            @Override
            public String name() {
                return "waiting_for_crash_ipi";
            }

            @Override
            public boolean tryLock(int cpu, String who, long now) {
                return notStopped.isEmpty();
            }

            @Override
            public boolean isLocked() {
                return !notStopped.isEmpty();
            }

            @Override
            public int ownerCpu() {
                return notStopped.isEmpty() ? -1 : notStopped.first();
            }

            @Override
            public String ownerName() {
                if (notStopped.isEmpty()) {
                    return "";
                }
                int cpu = notStopped.first();
                return "CPU " + cpu + (runtime.machine().cpu(cpu).nmiBlocked()
                        ? " with NMIs blocked: it never returned from its NMI, so the crash NMI waits for an IRET"
                        : " has not taken the crash NMI yet");
            }

            @Override
            public long heldSince() {
                return stopIssuedNs;
            }
        };
    }

    private Action machineKexec(Cpu self) {
        notes.saveCurrent(self, notePid(self.index()));
        notes.freeze();
        runtime.services().printk().consoleHandOver(self.now()); // the UART is the capture kernel's now
        runtime.machine().events().publish(new Note(self.now(), self.index(), "kexec", String.format(
                "machine_kexec: jumping to the capture kernel after %d ms, %d CPU(s) did not stop", waitedMs,
                notStopped.size())));
        return new Action.Busy(CaptureKernel.BOOT_NS); // the capture kernel boots on this CPU
    }

    /**
     * pr_pid for a CPU's note: its task's pid. The kernel saves 0 for every idle CPU (swapper/N);
     * nmilab saves the CPU number instead, so gdb, which tells threads apart by pid, shows one per CPU.
     */
    private int notePid(int cpu) {
        Task current = runtime.services().scheduler().current(cpu);
        return current == null ? cpu : current.pid();
    }

    /** crash_nmi_callback: a stopped CPU saves its registers, checks in and halts for good. */
    private int crashNmiCallback(NmiType type, NmiContext context) {
        int cpu = context.processorId();
        if (!shootingDown || cpu == panicCpu) {
            return 0;
        }
        notes.save(cpu, notePid(cpu), context.regs(), context.cpu().reg(X86Reg.GS_BASE));
        notStopped.remove(cpu);
        context.cpu().haltForever("stopped by crash_nmi_callback");
        return 1;
    }
}
