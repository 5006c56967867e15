package dev.nmilab.x86;

import dev.nmilab.memory.AddressSpace;
import dev.nmilab.unicorn.MemoryAccess;
import dev.nmilab.unicorn.Protection;
import dev.nmilab.unicorn.Unicorn;
import dev.nmilab.unicorn.X86Reg;

/**
 * Finds which instruction of a block faulted on a data access when the engine could not say
 * (see {@link Unicorn#faultCandidates()}): each candidate is tried, alone, on a scratch engine
 * that sees the same memory without being able to write it, with the faulting CPU's registers.
 * The faulting instruction has not run (x86 faults are precise), so the registers are the ones
 * it saw, and the first candidate that faults the same way on the same address is it.
 * Instructions after it usually would too, and earlier ones could only by a coincidence of
 * changed registers, hence the first. A candidate's own successful store before its faulting
 * access shows as a write fault elsewhere: such a candidate is kept as a second choice.
 */
final class FaultLocator implements AutoCloseable {
    private static final X86Reg[] ADDRESSING = {
        X86Reg.RAX, X86Reg.RBX, X86Reg.RCX, X86Reg.RDX, X86Reg.RSI, X86Reg.RDI, X86Reg.RBP, X86Reg.RSP,
        X86Reg.R8, X86Reg.R9, X86Reg.R10, X86Reg.R11, X86Reg.R12, X86Reg.R13, X86Reg.R14, X86Reg.R15,
        X86Reg.RFLAGS, X86Reg.FS_BASE, X86Reg.GS_BASE,
    };

    private final AddressSpace view;
    private Unicorn scratch;
    private MemoryAccess seenAccess;
    private long seenAddress;

    FaultLocator(AddressSpace view) {
        this.view = view;
    }

    /** The candidate that faults with {@code access} on {@code address}; the last when none does. */
    long locate(Unicorn faulted, long[] candidates, MemoryAccess access, long address) {
        Unicorn engine = scratch();
        long secondChoice = -1;
        for (long candidate : candidates) {
            seenAccess = null;
            copyState(faulted, engine); // a tried candidate may have changed it
            engine.emuStart(candidate, 1);
            if (seenAccess == null) {
                continue;
            }
            if (seenAddress == address && sameKind(seenAccess, access)) {
                return candidate;
            }
            if (secondChoice == -1 && seenAccess == MemoryAccess.WRITE_PROT && writable(seenAddress)) {
                secondChoice = candidate;
            }
        }
        // none faulted alike: most likely the block's last instruction, whose fault depends on more
        // state than the scratch engine has (an iret or far return checks privilege and descriptor
        // caches), and such instructions end a block
        return secondChoice != -1 ? secondChoice : candidates[candidates.length - 1];
    }

    /** What an instruction's accesses depend on: registers, and the tables iret, far jumps and loads of segments read. */
    private static void copyState(Unicorn from, Unicorn to) {
        for (X86Reg.Table table : X86Reg.Table.values()) {
            to.writeTable(table, from.readTable(table));
        }
        for (X86Reg reg : ADDRESSING) {
            to.regWrite(reg, from.regRead(reg));
        }
    }

    private static boolean sameKind(MemoryAccess a, MemoryAccess b) {
        return a.isWrite() == b.isWrite() && a.isFetch() == b.isFetch();
    }

    private boolean writable(long address) {
        return view.mappingOf(address).map(m -> (m.perms() & Protection.WRITE) != 0).orElse(false);
    }

    private Unicorn scratch() {
        if (scratch == null) {
            Unicorn engine = Unicorn.openUncounted();
            try {
                view.follow((mapping, host) -> {
                    if (!engine.isClosed()) {
                        engine.memMapPtr(mapping.virtualStart(), host, mapping.perms() & ~Protection.WRITE);
                    }
                });
                engine.addMemoryFaultHook((access, address, size, value) -> {
                    if (seenAccess == null) {
                        seenAccess = access;
                        seenAddress = address;
                    }
                    return false;
                });
                engine.addInterruptHook(vector -> engine.emuStop());
                engine.addInvalidInstructionHook(() -> false);
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
            scratch = engine;
        }
        return scratch;
    }

    @Override
    public void close() {
        if (scratch != null) {
            scratch.close();
        }
    }
}
