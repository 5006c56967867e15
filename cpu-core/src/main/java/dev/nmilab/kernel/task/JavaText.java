package dev.nmilab.kernel.task;

import dev.nmilab.memory.GuestMemory;
import dev.nmilab.memory.KernelLayout;
import dev.nmilab.smp.Machine;
import dev.nmilab.x86.Cpu;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A page of kernel text whose addresses stand for Java kernel code. While a CPU's RIP is on
 * one of these pads the CPU is running Java (a kthread body, the idle loop): an interrupt
 * pushes the pad as its return address, and an iretq or ret back to a pad stops the engine so
 * the Java code resumes. The page holds ud2, so no pad is ever executed as an instruction.
 */
public final class JavaText {
    public static final long PHYSICAL = 0xf0_1000L;
    public static final long BASE = KernelLayout.START_KERNEL_MAP + PHYSICAL;
    public static final int SLOT = 16;
    public static final int CAPACITY = 4096 / SLOT;

    private final Machine machine;
    private final Map<String, Long> pads = new LinkedHashMap<>();
    private boolean attached;

    public JavaText(Machine machine) {
        this.machine = machine;
        GuestMemory physical = machine.physical();
        byte[] page = new byte[4096];
        for (int i = 0; i < page.length; i += 2) {
            page[i] = 0x0f;
            page[i + 1] = 0x0b;
        }
        physical.write(PHYSICAL, page);
    }

    /** The pad named {@code function}, created on first use (names appear in traces as symbols). */
    public long pad(String function) {
        Long existing = pads.get(function);
        if (existing != null) {
            return existing;
        }
        if (pads.size() == CAPACITY) {
            throw new IllegalStateException("Java text page full");
        }
        long address = BASE + (long) SLOT * pads.size();
        pads.put(function, address);
        machine.symbols().addRegion(address, address + SLOT, Map.of(function, address));
        if (attached) {
            machine.cpus().forEach(cpu -> watch(cpu, address));
        }
        return address;
    }

    /** Install the pad hooks on every CPU (after the machine created them). */
    public void attach() {
        attached = true;
        for (Cpu cpu : machine.cpus()) {
            pads.values().forEach(address -> watch(cpu, address));
        }
    }

    private static void watch(Cpu cpu, long address) {
        cpu.engine().addSiteHook(address, (a, size) -> {
            cpu.engine().counter().uncount(); // a pad is not an instruction
            cpu.requestStop();
        });
    }

    public boolean contains(long address) {
        return Long.compareUnsigned(address - BASE, 4096) < 0;
    }

    public Optional<String> nameOf(long address) {
        return pads.entrySet().stream().filter(e -> e.getValue() == address).map(Map.Entry::getKey).findFirst();
    }
}
