package dev.nmilab.kernel.runtime;

import dev.nmilab.memory.KernelLayout;
import dev.nmilab.smp.Machine;
import dev.nmilab.unicorn.Protection;
import dev.nmilab.x86.Cpu;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * vmalloc areas as the x86-64 kernel before 5.8 handled them (arch/x86/mm/fault.c: vmalloc_fault):
 * an area is mapped in init_mm's page tables at once, but a CPU running on other page tables
 * sees it only after its first access faults and vmalloc_fault copies the top-level entry in.
 * Each CPU's engine is its page tables here: the fault maps the area into that engine alone.
 * (6.1 pre-populates those entries, so the fault no longer happens there; the nested-NMI story
 * of the 3.x era needs it.)
 */
public final class Vmalloc {
    /** Physical memory for vmalloc areas: the top 4 MiB of RAM. */
    private static final long ARENA_SIZE = 4L << 20;

    public record Area(long virtualStart, long physicalStart, long size, String caller) {
        boolean contains(long address) {
            return Long.compareUnsigned(address - virtualStart, size) < 0;
        }
    }

    private final Machine machine;
    private final List<Area> areas = new ArrayList<>();
    private final List<BitSet> syncedOnCpu = new ArrayList<>();
    private long nextVirtual = KernelLayout.VMALLOC_START;
    private long nextPhysical;
    private long faults;

    Vmalloc(Machine machine) {
        this.machine = machine;
        this.nextPhysical = machine.physical().size() - ARENA_SIZE;
    }

    /** vmalloc(size): a new area (page-rounded, with a guard page after it, as vmalloc leaves one). */
    public Area vmalloc(long size, String caller) {
        long pages = (size + 4095) / 4096 * 4096;
        if (pages <= 0 || nextPhysical + pages > machine.physical().size()) {
            throw new IllegalArgumentException("vmalloc(" + size + ") does not fit the vmalloc arena");
        }
        Area area = new Area(nextVirtual, nextPhysical, pages, caller);
        machine.physical().write(nextPhysical, new byte[(int) pages]);
        nextVirtual += pages + 4096;
        nextPhysical += pages;
        areas.add(area);
        syncedOnCpu.add(new BitSet());
        return area;
    }

    public Optional<Area> areaOf(long address) {
        return areas.stream().filter(a -> a.contains(address)).findFirst();
    }

    /** vmalloc_fault: true when {@code address} is in an area this CPU had not synced yet (now it has). */
    boolean fault(Cpu cpu, long address) {
        for (int i = 0; i < areas.size(); i++) {
            Area area = areas.get(i);
            if (area.contains(address) && !syncedOnCpu.get(i).get(cpu.index())) {
                cpu.engine().memMapPtr(area.virtualStart(), machine.physical().slice(area.physicalStart(), area.size()),
                        Protection.READ | Protection.WRITE);
                syncedOnCpu.get(i).set(cpu.index());
                faults++;
                return true;
            }
        }
        return false;
    }

    public long faults() {
        return faults;
    }
}
