package dev.nmilab.nmi;

import dev.nmilab.gate.GateCall;
import dev.nmilab.kernel.KernelBugException;
import dev.nmilab.kernel.panic.PtRegs;
import dev.nmilab.kernel.percpu.PerCpuArea;
import dev.nmilab.kernel.preempt.PerCpuPreemptCount;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.unicorn.X86Reg;
import dev.nmilab.x86.Cpu;

/**
 * do_nmi, the C half of the NMI entry (arch/x86/kernel/nmi.c: exc_nmi; kernel/entry/common.c:
 * irqentry_nmi_enter/exit): the stub calls it with the pt_regs pointer in RDI and the reason byte,
 * read from port 0x61 with a real inb just before the call, in RSI. nmi_enter/nmi_exit work on
 * this CPU's preempt_count; their BUG_ONs become real BUG()s: the CPU is sent to a ud2 with a
 * __bug_table entry for the kernel line, as if the C code had reached it.
 */
public final class ExcNmi {
    public static final String GATE = "do_nmi";
    public static final String FINISH_GATE = "do_nmi_finish";
    public static final String ASM_DISPATCH = "nmi_asm_dispatch";
    public static final String NMI_ENTER_BUG = "nmi_enter_bug";
    public static final String NMI_EXIT_BUG = "nmi_exit_bug";

    private final KernelRuntime runtime;
    private final DefaultDoNmi defaultDoNmi;
    private final long[] nmiCount;
    private boolean asmHandlers;

    public ExcNmi(KernelRuntime runtime, DefaultDoNmi defaultDoNmi) {
        this.runtime = runtime;
        this.defaultDoNmi = defaultDoNmi;
        this.nmiCount = new long[runtime.machine().cpuCount()];
    }

    /** From now on do_nmi calls the assembly handlers (in nmi_asm_handler_table) first. */
    void enableAsmHandlers() {
        asmHandlers = true;
    }

    /** The NMI row of /proc/interrupts for {@code cpu}. */
    public long nmiCount(int cpu) {
        return nmiCount[cpu];
    }

    public long call(GateCall call) {
        Cpu cpu = call.cpu();
        int index = cpu.index();
        PerCpuPreemptCount preempt = PerCpuArea.preemptCount(runtime.machine().kernelSpace(), index);
        try {
            preempt.nmiEnter();
        } catch (KernelBugException bug) {
            return reachBug(call, NMI_ENTER_BUG);
        }
        nmiCount[index]++;
        if (asmHandlers) {
            // the assembly handlers run as instructions; do_nmi_finish takes over after them
            cpu.setReg(X86Reg.RIP, runtime.symbol(ASM_DISPATCH).orElseThrow());
            call.noReturn();
            return 0;
        }
        return finish(call, cpu, 0);
    }

    /** do_nmi_finish(regs, reason, handled by the assembly handlers): default_do_nmi and nmi_exit. */
    public long finish(GateCall call) {
        return finish(call, call.cpu(), (int) call.arg(2));
    }

    private long finish(GateCall call, Cpu cpu, int asmHandled) {
        PerCpuPreemptCount preempt = PerCpuArea.preemptCount(runtime.machine().kernelSpace(), cpu.index());
        PtRegs regs = PtRegs.read(runtime.machine().kernelSpace(), call.arg(0));
        int reason = (int) (call.arg(1) & 0xff);
        defaultDoNmi.defaultDoNmi(new NmiContext(cpu, regs, reason, runtime.services()), asmHandled);
        if (cpu.state() != Cpu.State.RUNNING) {
            call.noReturn(); // panicked or stopped: nothing returns to the stub
            return 0;
        }
        try {
            preempt.nmiExit();
        } catch (KernelBugException bug) {
            return reachBug(call, NMI_EXIT_BUG);
        }
        return 0;
    }

    private long reachBug(GateCall call, String site) {
        long address = runtime.symbol(site).orElseThrow(() -> new IllegalStateException("no BUG site " + site));
        call.cpu().setReg(X86Reg.RIP, address);
        call.noReturn();
        return 0;
    }
}
