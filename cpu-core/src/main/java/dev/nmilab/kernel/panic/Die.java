package dev.nmilab.kernel.panic;

import dev.nmilab.kernel.printk.LogLevel;
import dev.nmilab.kernel.printk.Printk;
import dev.nmilab.kernel.runtime.KernelIdentity;
import dev.nmilab.kernel.sysctl.Sysctls;
import dev.nmilab.kernel.task.Task;
import dev.nmilab.smp.Machine;
import dev.nmilab.unicorn.X86Reg;
import dev.nmilab.x86.Cpu;
import java.util.List;

/**
 * die() and the oops report (arch/x86/kernel/dumpstack.c: oops_begin, __die_header, __die_body,
 * oops_end; lib/dump_stack.c: dump_stack_print_info), then what oops_end decides: panic when in
 * interrupt or when panic_on_oops, otherwise the task dies.
 */
public final class Die {
    /** KERN_DEFAULT: printed at CONFIG_MESSAGE_LOGLEVEL_DEFAULT, 4 (warning). */
    private static final LogLevel DEFAULT = LogLevel.KERN_WARNING;
    private final Machine machine;
    private final Printk printk;
    private final Sysctls sysctls;
    private final Panic panic;
    private final KernelIdentity identity;
    private int dieCounter;
    private boolean tainted;

    public Die(Machine machine, Printk printk, Sysctls sysctls, Panic panic, KernelIdentity identity) {
        this.machine = machine;
        this.printk = printk;
        this.sysctls = sysctls;
        this.panic = panic;
        this.identity = identity;
    }

    /** What oops_end did after the report. */
    public enum Result { PANICKED, TASK_KILLED }

    /**
     * Report an oops on {@code cpu} for {@code regs}; {@code task} is the current task (null in
     * interrupt context without one) and {@code inInterrupt} whether preempt_count says so.
     */
    public Result die(int cpu, String str, PtRegs regs, long err, Task task, boolean inInterrupt) {
        emerg(cpu, String.format("%s: %04x [#%d] SMP NOPTI", str, err & 0xffff, ++dieCounter));
        printInfo(cpu, task);
        showRegs(cpu, regs);
        callTrace(cpu, task, interruptContext(cpu), List.of());
        printk.printk(cpu, DEFAULT, "Modules linked in:");
        tainted = true;
        printk.printk(cpu, LogLevel.KERN_WARNING, String.format("---[ end trace %016x ]---", 0L));
        showRegs(cpu, regs); // "executive summary in case the oops scrolled away"
        if (inInterrupt) {
            panic.panic(cpu, "Fatal exception in interrupt");
            return Result.PANICKED;
        }
        if (sysctls.intValue("kernel.panic_on_oops") != 0) {
            panic.panic(cpu, "Fatal exception");
            return Result.PANICKED;
        }
        return Result.TASK_KILLED;
    }

    /** dump_stack_print_info. */
    public void printInfo(int cpu, Task task) {
        printk.printk(cpu, DEFAULT, String.format("CPU: %d PID: %d Comm: %.20s %s %s %s", cpu,
                task == null ? 0 : task.pid(), task == null ? "swapper/" + cpu : task.comm(),
                tainted ? "Tainted: G      D" : "Not tainted", identity.release(), identity.version()));
        printk.printk(cpu, DEFAULT, "Hardware name: " + identity.hardwareName());
    }

    public void showRegs(int cpu, PtRegs regs) {
        Cpu c = machine.cpu(cpu);
        for (String line : RegisterDump.lines(regs, machine.kernelSpace(), machine.symbols(), c.reg(X86Reg.GS_BASE),
                c.reg(X86Reg.CR0), c.reg(X86Reg.CR2), c.reg(X86Reg.CR3), c.reg(X86Reg.CR4))) {
            printk.printk(cpu, DEFAULT, line);
        }
    }

    /**
     * show_trace_log_lvl over the modelled call chain: {@code innermost} frames first, then the
     * task's callers. In interrupt context ({@code context} "NMI" or "IRQ") the innermost frames
     * form their own section before the task's, as the kernel prints stacks it crosses.
     * Functions modelled in Java have no machine code, so they print without offsets.
     */
    public void callTrace(int cpu, Task task, String context, List<String> innermost) {
        printk.printk(cpu, DEFAULT, "Call Trace:");
        if (context != null) {
            printk.printk(cpu, DEFAULT, " <" + context + ">");
            innermost.forEach(frame -> printk.printk(cpu, DEFAULT, " " + frame));
            printk.printk(cpu, DEFAULT, " </" + context + ">");
        }
        List<String> chain = new java.util.ArrayList<>(context == null ? innermost : List.of());
        if (task != null) {
            chain.addAll(task.callChain());
        } else {
            chain.addAll(List.of("do_idle", "cpu_startup_entry"));
        }
        printk.printk(cpu, DEFAULT, " <TASK>");
        chain.forEach(frame -> printk.printk(cpu, DEFAULT, " " + frame));
        printk.printk(cpu, DEFAULT, " </TASK>");
    }

    /** "NMI", "IRQ" or null (task context), from this CPU's preempt_count. */
    public String interruptContext(int cpu) {
        int count = dev.nmilab.kernel.percpu.PerCpuArea.preemptCount(machine.kernelSpace(), cpu).value();
        if (dev.nmilab.kernel.preempt.PreemptCount.inNmi(count)) {
            return "NMI";
        }
        return dev.nmilab.kernel.preempt.PreemptCount.inIrq(count) ? "IRQ" : null;
    }

    public boolean tainted() {
        return tainted;
    }

    private void emerg(int cpu, String text) {
        printk.printk(cpu, LogLevel.KERN_EMERG, text);
    }
}
