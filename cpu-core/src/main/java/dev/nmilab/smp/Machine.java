package dev.nmilab.smp;

import dev.nmilab.event.EventBus;
import dev.nmilab.gate.GateTable;
import dev.nmilab.io.PortBus;
import dev.nmilab.memory.AddressSpace;
import dev.nmilab.memory.KernelLayout;
import dev.nmilab.memory.Mapping;
import dev.nmilab.memory.PhysicalMemory;
import dev.nmilab.unicorn.Protection;
import dev.nmilab.unicorn.TableRegister;
import dev.nmilab.unicorn.X86Reg;
import dev.nmilab.x86.Cpu;
import dev.nmilab.x86.CpuWiring;
import dev.nmilab.x86.DescriptorTables;
import dev.nmilab.x86.IdtGate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * N CPUs sharing one physical memory, the kernel's virtual layout, the boot GDT/TSS/IDT, the
 * gate page, the port bus and the event bus. Close it to free every engine, then the memory.
 */
public final class Machine implements AutoCloseable {
    public static final long INITIAL_RFLAGS = 0x202;

    private final PhysicalMemory physical;
    private final AddressSpace kernelSpace;
    private final EventBus events = new EventBus();
    private final MachineSymbols symbols = new MachineSymbols();
    private final GateTable gates = new GateTable(events);
    private final PortBus ports = new PortBus();
    private final List<Cpu> cpus = new ArrayList<>();
    private final List<Cpu> cpusView = java.util.Collections.unmodifiableList(cpus);
    private final Scheduler scheduler;
    private boolean cpusCreated;

    public Machine(int cpuCount, long memoryBytes) {
        if (cpuCount < 1 || cpuCount > BootLayout.MAX_CPUS) {
            throw new IllegalArgumentException("CPU count must be 1.." + BootLayout.MAX_CPUS + ", got " + cpuCount);
        }
        long needed = KernelLayout.KERNEL_TEXT_PHYSICAL + (16L << 20);
        if (memoryBytes < needed) {
            throw new IllegalArgumentException("memory must be at least " + (needed >> 20) + " MiB");
        }
        physical = new PhysicalMemory(memoryBytes);
        kernelSpace = new AddressSpace(physical);
        kernelSpace.map(new Mapping("direct map", KernelLayout.PAGE_OFFSET, 0, memoryBytes, Protection.ALL));
        kernelSpace.map(new Mapping("kernel image", KernelLayout.START_KERNEL_MAP, 0,
                Math.min(memoryBytes, KernelLayout.KERNEL_IMAGE_SIZE), Protection.ALL));
        for (int i = 0; i < cpuCount; i++) {
            mapEntryArea(i);
        }
        GateTable.writePage(physical);
        scheduler = new Scheduler(this);
        for (int i = 0; i < cpuCount; i++) {
            cpus.add(null);
        }
    }

    private void mapEntryArea(int cpu) {
        long physicalBase = BootLayout.perCpuPhysical(cpu);
        long virtualBase = BootLayout.entryArea(cpu);
        kernelSpace.map(new Mapping("cpu_entry_area " + cpu + " gdt+tss", virtualBase, physicalBase, 0x2000,
                Protection.READ | Protection.WRITE));
        for (int ist = BootLayout.IST_DF; ist <= BootLayout.IST_MCE; ist++) {
            long offset = BootLayout.istStackOffset(ist);
            kernelSpace.map(new Mapping("cpu_entry_area " + cpu + " IST" + ist, virtualBase + offset,
                    physicalBase + offset, 0x1000, Protection.READ | Protection.WRITE));
        }
    }

    /**
     * Create the engines. Gates must all be registered before (the gate page hook is installed
     * once per engine); code may be loaded before or after.
     */
    public void createCpus() {
        if (cpusCreated) {
            return;
        }
        cpusCreated = true;
        for (int i = 0; i < cpus.size(); i++) {
            cpus.set(i, new Cpu(i, new CpuWiring(kernelSpace, events, symbols, gates, ports)));
        }
        symbols.addRegion(GateTable.BASE, GateTable.BASE + 4096, gates.symbols());
        for (Region region : regions) {
            installSites(region);
        }
    }

    private record Region(long start, long end, CodeSites sites) {
    }

    /** Addresses of the instructions CPUs must notice in loaded code (found by objdump). */
    public record CodeSites(List<Long> irets, List<Long> halts, List<Long> stis, List<Long> popfs) {
        public static final CodeSites NONE = new CodeSites(List.of(), List.of(), List.of(), List.of());
    }

    private final List<Region> regions = new ArrayList<>();

    /**
     * Place code at {@code address} (kernel virtual), with its symbols and the addresses of its
     * iretq and hlt instructions (which get hooks on every CPU).
     */
    public void loadCode(long address, byte[] bytes, Map<String, Long> codeSymbols, CodeSites sites) {
        kernelSpace.write(address, bytes);
        symbols.addRegion(address, address + bytes.length, codeSymbols);
        Region region = new Region(address, address + bytes.length, sites);
        regions.add(region);
        if (cpusCreated) {
            installSites(region);
        }
    }

    private void installSites(Region region) {
        for (Cpu cpu : cpus) {
            region.sites.irets().forEach(cpu::addIretSite);
            region.sites.halts().forEach(cpu::addHaltSite);
            region.sites.stis().forEach(site -> cpu.addInterruptEnableSite(site, 1));
            region.sites.popfs().forEach(site -> cpu.addInterruptEnableSite(site, 0));
            if (region.end > region.start) {
                cpu.engine().flushTranslations(region.start, region.end - 1);
            }
        }
    }

    /** Write the shared IDT: a present interrupt gate for each vector in {@code handlers}, the rest not present. */
    public void writeIdt(Map<Integer, Long> handlers, Map<Integer, Integer> istByVector) {
        long idt = BootLayout.idt();
        kernelSpace.write(idt, new byte[256 * IdtGate.SIZE]);
        handlers.forEach((vector, handler) -> kernelSpace.write(idt + vector * (long) IdtGate.SIZE,
                IdtGate.interrupt(handler, istByVector.getOrDefault(vector, 0)).encode()));
    }

    /** Put every CPU at {@code entry} on its kernel stack with the boot GDT, TSS and IDT loaded. */
    public void boot(long entry) {
        createCpus();
        for (Cpu cpu : cpus) {
            int i = cpu.index();
            long tss = BootLayout.tss(i);
            kernelSpace.write(tss, new byte[DescriptorTables.TSS_SIZE]);
            for (int ist = BootLayout.IST_DF; ist <= BootLayout.IST_MCE; ist++) {
                kernelSpace.writeLong(DescriptorTables.istAddress(tss, ist), BootLayout.istTop(i, ist));
            }
            kernelSpace.writeLong(tss + DescriptorTables.TSS_RSP0, BootLayout.kernelStackTop(i));
            DescriptorTables.writeGdt(kernelSpace, BootLayout.gdt(i), tss);
            cpu.engine().writeTable(X86Reg.Table.GDTR, new TableRegister(0, BootLayout.gdt(i),
                    DescriptorTables.GDT_SIZE - 1, 0));
            cpu.engine().writeTable(X86Reg.Table.IDTR, new TableRegister(0, BootLayout.idt(), 256 * 16 - 1, 0));
            cpu.engine().writeTable(X86Reg.Table.TR, new TableRegister(DescriptorTables.TSS_SELECTOR, tss,
                    DescriptorTables.TSS_SIZE - 1, 0x8900));
            cpu.setReg(X86Reg.GS_BASE, BootLayout.perCpuArea(i));
            kernelSpace.writeLong(BootLayout.perCpuArea(i), i);
            cpu.setReg(X86Reg.RSP, BootLayout.kernelStackTop(i));
            cpu.setReg(X86Reg.RFLAGS, INITIAL_RFLAGS);
            cpu.setReg(X86Reg.RDI, i);
            cpu.setReg(X86Reg.RIP, entry);
        }
    }

    public List<Cpu> cpus() {
        return cpusView;
    }

    public Cpu cpu(int index) {
        return cpus.get(index);
    }

    public int cpuCount() {
        return cpus.size();
    }

    public PhysicalMemory physical() {
        return physical;
    }

    public AddressSpace kernelSpace() {
        return kernelSpace;
    }

    public EventBus events() {
        return events;
    }

    public MachineSymbols symbols() {
        return symbols;
    }

    public GateTable gates() {
        return gates;
    }

    public PortBus ports() {
        return ports;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public void close() {
        for (Cpu cpu : cpus) {
            if (cpu != null) {
                cpu.close();
            }
        }
        physical.close();
    }
}
