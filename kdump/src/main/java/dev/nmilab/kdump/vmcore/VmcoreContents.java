package dev.nmilab.kdump.vmcore;

import dev.nmilab.memory.PhysicalMemory;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a vmcore holds: each CPU's saved registers (in CPU order in the file), the VMCOREINFO
 * text, nmilab's symbols (the NMILAB note; may be empty), the machine's memory, and the physical
 * range [kernelImageStart, kernelImageEnd) of the loaded kernel image, dumped a second time at
 * its __START_KERNEL_map address as kexec-tools' first PT_LOAD does (an empty range omits it).
 */
public record VmcoreContents(List<CpuCrashRegisters> cpus, String vmcoreinfo, Map<String, Long> symbols,
        PhysicalMemory memory, long kernelImageStart, long kernelImageEnd) {

    public VmcoreContents {
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("a vmcore needs the registers of at least one CPU");
        }
        cpus = cpus.stream().sorted(Comparator.comparingInt(CpuCrashRegisters::cpu)).toList();
        for (int i = 1; i < cpus.size(); i++) {
            if (cpus.get(i).cpu() == cpus.get(i - 1).cpu()) {
                throw new IllegalArgumentException("CPU " + cpus.get(i).cpu() + " has two sets of registers");
            }
        }
        if (kernelImageStart < 0 || kernelImageEnd < kernelImageStart || kernelImageEnd > memory.size()) {
            throw new IllegalArgumentException(String.format(
                    "kernel image [0x%x, 0x%x) is not inside physical memory of 0x%x bytes", kernelImageStart,
                    kernelImageEnd, memory.size()));
        }
        symbols = new TreeMap<>(symbols);
    }
}
