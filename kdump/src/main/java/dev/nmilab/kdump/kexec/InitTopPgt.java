package dev.nmilab.kdump.kexec;

import dev.nmilab.gate.GateTable;
import dev.nmilab.kdump.vmcore.KernelPageTables;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.memory.GuestMemory;

/**
 * init_top_pgt, the kernel's own page tables, in emulated memory. The emulated CPUs do not walk
 * them (the engines map the kernel's ranges directly), but every dump reader does: makedumpfile
 * translates each kernel virtual address through init_top_pgt (vtop4_x86_64), as crash does. They
 * map what paging_init() and head_64.S leave mapped (arch/x86/mm/init_64.c, head_64.S): all RAM at
 * PAGE_OFFSET, 1 GiB pages where aligned, and the kernel image at __START_KERNEL_map in 2 MiB
 * pages, here from the gate page below _text to the end of the loaded stubs.
 */
final class InitTopPgt {
    private InitTopPgt() {
    }

    /**
     * Build the tables in [INIT_TOP_PGT_PHYSICAL, INIT_TOP_PGT_END) of {@code physical}, the PGD
     * first: {@code ramSize} bytes of RAM, a kernel image that ends at {@code imageEnd}.
     */
    static KernelPageTables build(GuestMemory physical, long ramSize, long imageEnd) {
        return new KernelPageTables(physical, KernelRuntime.INIT_TOP_PGT_PHYSICAL, KernelRuntime.INIT_TOP_PGT_END)
                .mapDirectMap(ramSize)
                .mapKernelImage(GateTable.PHYSICAL, imageEnd);
    }
}
