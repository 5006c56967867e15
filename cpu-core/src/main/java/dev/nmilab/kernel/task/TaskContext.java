package dev.nmilab.kernel.task;

import dev.nmilab.kernel.runtime.KernelServices;
import dev.nmilab.x86.Cpu;

/** What a task body sees: its task, the CPU it runs on now, the time, and the kernel's services. */
public final class TaskContext {
    private final Task task;
    private final Cpu cpu;
    private final KernelServices services;

    TaskContext(Task task, Cpu cpu, KernelServices services) {
        this.task = task;
        this.cpu = cpu;
        this.services = services;
    }

    public Task task() {
        return task;
    }

    public Cpu cpu() {
        return cpu;
    }

    /** smp_processor_id(): the CPU this task runs on right now. */
    public int processorId() {
        return cpu.index();
    }

    public long now() {
        return cpu.now();
    }

    public KernelServices services() {
        return services;
    }

    /** RAX of the last {@link Action.CallGuest} that returned. */
    public long guestResult() {
        return task.guestResult;
    }

    public void localIrqDisable() {
        task.irqsEnabled = false;
        cpu.setInterruptsEnabled(false);
    }

    public void localIrqEnable() {
        task.irqsEnabled = true;
        cpu.setInterruptsEnabled(true);
    }

    /** printk at KERN_INFO from this task. */
    public void printk(String text) {
        services.printk().printk(cpu.index(), dev.nmilab.kernel.printk.LogLevel.KERN_INFO, text);
    }
}
