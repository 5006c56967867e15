package dev.nmilab.unicorn;

import dev.nmilab.x86.decode.EngineAborts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java half of block counting ({@link CountingMode#BLOCKS}): what the native block hook
 * cannot do alone. It decodes blocks it has not seen (checking the count against the one the
 * engine translated), runs sites that start a block, gives hooks inside a block the exact count
 * at their instruction, and rewinds the count when an instruction faults in the middle of a
 * block that was counted whole.
 *
 * <p>Instructions that need Java before they execute in the middle of a block (a site that is
 * not a block's first instruction, a port I/O instruction, whose hook must see its own RIP and
 * count) get a code hook of their own. A hook only reaches code translated after it was added,
 * so a block found to need one is stopped before it runs, its translation dropped, and run
 * again. Nothing here is iterated into output: the maps are lookups only.
 */
final class BlockCounting {
    private static final Logger LOG = LoggerFactory.getLogger(BlockCounting.class);

    private record Key(long address, int size) {
    }

    private final Unicorn engine;
    private final InstructionCounter counter;
    private final Map<Key, BlockShape> shapes = new HashMap<>();
    private final TreeSet<Long> hookedInside = new TreeSet<>(Long::compareUnsigned);
    private final List<long[]> pendingFlushes = new ArrayList<>();
    private boolean undecodable;
    private long remainderUntil;
    /** Where a run stopped before a block must go on: Unicorn's RIP is stale after a stop from the block hook. */
    private long restartAt = -1;

    BlockCounting(Unicorn engine, InstructionCounter counter) {
        this.engine = engine;
        this.counter = counter;
    }

    // ---- upcalls from the native block hook ----

    /** A block the native table does not hold. */
    void onMiss(long address, int size) {
        BlockShape shape = shapeOf(address, size);
        if (shape == null || needsInsideHooks(shape)) {
            return;
        }
        counter.remember(address, size, shape.instructions());
        account(shape);
    }

    /** A block whose first address hashes to a site in the bitmap. */
    void onEntry(long address, int size) {
        BlockShape shape = shapeOf(address, size);
        if (shape == null || needsInsideHooks(shape)) {
            return;
        }
        if (!engine.hasSite(address) || hookedInside.contains(address)) {
            account(shape); // a false hit, or the site's own code hook will run it
            return;
        }
        long before = counter.rawExecuted();
        counter.enterBlock(address, size, before);
        if (before + shape.instructions() > counter.budget()) {
            stopForBudget();
            return;
        }
        long atSite = before + 1; // the site's instruction is counted when its hook runs
        counter.setExecuted(atSite);
        engine.clearHookStop();
        engine.runSites(address, shape.lengthOf(0));
        if (!engine.hookStopped()) {
            counter.setExecuted(before + shape.instructions() + (counter.rawExecuted() - atSite));
        } else if (!engine.ripWrittenInHook()) {
            restartAt = address;
        }
    }

    /** A code hook on an instruction inside the current block (a site, port I/O, a debug register write); RIP is exact here. */
    void onInside(long address, int size) {
        BlockShape shape = currentShape();
        if (shape == null || !shape.contains(address)) {
            engine.runSites(address, size); // cannot happen for a block this class counted
            return;
        }
        int debugWrite = shape.debugWriteAt(address);
        if (debugWrite != -2) {
            refuseBreakpoint(address, debugWrite);
        }
        long whole = counter.rawExecuted();
        long exact = counter.blockBase() + shape.instructionsBefore(address) + 1;
        if (engine.hasSite(address)) {
            counter.setExecuted(exact);
            engine.clearHookStop();
            engine.runSites(address, size);
            if (engine.hookStopped()) {
                return;
            }
            long changed = counter.rawExecuted() - exact; // an uncount() by the site
            counter.setExecuted(whole + changed);
            exact += changed;
        }
        if (shape.isPortIo(address)) {
            counter.mark(exact); // for the port hook that follows, within this instruction
        }
    }

    // ---- faults and stops ----

    /**
     * After a run: a stop from the block hook (for the budget, for hooks to add, by a site at
     * the block's start) leaves Unicorn's RIP wherever it was last synchronised, not at the
     * block that did not run. Put it there.
     */
    void restoreRip() {
        if (counter.stopReason() == InstructionCounter.STOPPED_FOR_BUDGET) {
            restartAt = counter.blockAddress();
        }
        if (restartAt != -1) {
            engine.regWrite(X86Reg.RIP, restartAt);
            restartAt = -1;
        }
    }

    /** Instructions of the current block from the one {@code staleRip} shows (or all of them). */
    long[] faultCandidates(long staleRip) {
        BlockShape shape = currentShape();
        if (shape == null) {
            return new long[] {staleRip};
        }
        int from = shape.contains(staleRip) ? shape.instructionsBefore(staleRip) : 0;
        long[] candidates = new long[shape.instructions() - from];
        for (int i = 0; i < candidates.length; i++) {
            candidates[i] = shape.addressOf(from + i);
        }
        return candidates;
    }

    /** The engine faulted at {@code rip}: count up to and including the faulting instruction. */
    void syncToRip(long rip) {
        counter.clearMark();
        BlockShape shape = currentShape();
        if (shape != null && shape.contains(rip)) {
            counter.setExecuted(counter.blockBase() + shape.instructionsBefore(rip) + 1);
        }
    }

    /**
     * After a run that stopped before a block for an exact budget with room for only part of
     * it: where a run must end to execute just {@code remaining} more instructions. The block's
     * translation is dropped so the engine translates it again with that end (Unicorn only
     * checks its end address while translating).
     */
    long remainderEnd(long remaining) {
        BlockShape shape = currentShape();
        if (shape == null || remaining >= shape.instructions()) {
            throw new IllegalStateException("no partly budgeted block to finish");
        }
        engine.flushRange(shape.address, shape.address + shape.size);
        remainderUntil = shape.addressOf((int) remaining);
        return remainderUntil;
    }

    /** After the run that finished a block's first part: the shortened translation must not stay. */
    void remainderDone() {
        BlockShape shape = currentShape();
        if (shape != null) {
            engine.flushRange(shape.address, shape.address + shape.size);
        }
        remainderUntil = 0;
    }

    /**
     * Work the hooks left for after the run (translations to drop, the switch to counting
     * instructions): done now; true when the run must go on from where it stopped.
     */
    boolean finishPendingWork() {
        if (undecodable) {
            undecodable = false;
            LOG.warn("the block at 0x{} ({} bytes) does not split into instructions the way the engine "
                    + "translated it: this engine counts instructions one by one from here on",
                    Long.toHexString(counter.blockAddress()), counter.blockSize());
            pendingFlushes.clear();
            engine.switchToInstructionCounting();
            return true;
        }
        if (pendingFlushes.isEmpty()) {
            return false;
        }
        for (long[] range : pendingFlushes) {
            engine.flushRange(range[0], range[1]);
        }
        pendingFlushes.clear();
        return true;
    }

    /** Code in [begin, end) changed: what was decoded there is stale. */
    void forget(long begin, long end) {
        shapes.values().removeIf(shape -> Long.compareUnsigned(shape.address, end) < 0
                && Long.compareUnsigned(begin, shape.address + shape.size) < 0);
        counter.forget(begin, end);
    }

    /** A site was added at {@code address}: a block that already holds it inside needs a hook there. */
    void siteAdded(long address) {
        for (BlockShape shape : List.copyOf(shapes.values())) {
            if (shape.startsInside(address) && hookedInside.add(address)) {
                engine.addInsideHook(address);
                engine.flushRange(address, address + 1);
            }
        }
    }

    // ---- helpers ----

    private static final X86Reg[] MODRM_REGISTERS = {
        X86Reg.RAX, X86Reg.RCX, X86Reg.RDX, X86Reg.RBX, X86Reg.RSP, X86Reg.RBP, X86Reg.RSI, X86Reg.RDI,
        X86Reg.R8, X86Reg.R9, X86Reg.R10, X86Reg.R11, X86Reg.R12, X86Reg.R13, X86Reg.R14, X86Reg.R15,
    };

    /** A DR7 value that enables a breakpoint would crash the engine: stop the run with a clear error instead. */
    private void refuseBreakpoint(long address, int operands) {
        if (operands == -1) {
            throw new EngineLimitException(String.format("a VEX-encoded mov to a debug register at 0x%x: "
                    + "Unicorn 2.0.1 may abort the process on it", address));
        }
        int debugRegister = operands >> 8;
        long value = engine.regRead(MODRM_REGISTERS[operands & 0xf]);
        if (debugRegister == 7 && (value & EngineAborts.DR7_ENABLE_BITS) != 0) {
            throw new EngineLimitException(String.format("mov 0x%x to %%dr7 at 0x%x enables a hardware breakpoint: "
                    + "Unicorn 2.0.1 aborts the process on it, and nmilab does not emulate debug breakpoints",
                    value, address));
        }
    }

    private BlockShape currentShape() {
        return shapes.get(new Key(counter.blockAddress(), counter.blockSize()));
    }

    private BlockShape shapeOf(long address, int size) {
        Key key = new Key(address, size);
        BlockShape shape = shapes.get(key);
        if (shape != null) {
            return shape;
        }
        shape = BlockShape.decode(address, engine.memRead(address, size));
        if (shape == null || !agreesWithEngine(shape)) {
            undecodable = true; // count this engine's instructions one by one from here on
            counter.enterBlock(address, size, counter.rawExecuted());
            restartAt = address;
            engine.stopInHook();
            return null;
        }
        shapes.put(key, shape);
        return shape;
    }

    /** The engine's own count for the block it just translated must be the decoder's. */
    private boolean agreesWithEngine(BlockShape shape) {
        int translated = engine.translatedInstructions(shape.address, shape.size);
        if (translated == shape.instructions()) {
            return true;
        }
        // a block cut short by a run's end address carries one more: the stop itself
        return remainderUntil == shape.address + shape.size && translated == shape.instructions() + 1;
    }

    /** Add the hooks this block's inside instructions lack; if any, stop before it and translate it again. */
    private boolean needsInsideHooks(BlockShape shape) {
        boolean added = false;
        for (long address : shape.portIoAddresses()) {
            added |= hookInside(address);
        }
        for (long address : shape.debugWriteAddresses()) {
            added |= hookInside(address);
        }
        for (long address : engine.sitesWithin(shape.address + 1, shape.address + shape.size)) {
            if (shape.startsInside(address)) {
                added |= hookInside(address);
            }
        }
        if (added) {
            pendingFlushes.add(new long[] {shape.address, shape.address + shape.size});
            counter.enterBlock(shape.address, shape.size, counter.rawExecuted());
            restartAt = shape.address;
            engine.stopInHook();
        }
        return added;
    }

    private boolean hookInside(long address) {
        if (!hookedInside.add(address)) {
            return false;
        }
        engine.addInsideHook(address);
        return true;
    }

    private void account(BlockShape shape) {
        long before = counter.rawExecuted();
        counter.enterBlock(shape.address, shape.size, before);
        if (before + shape.instructions() > counter.budget()) {
            stopForBudget();
            return;
        }
        counter.setExecuted(before + shape.instructions());
    }

    private void stopForBudget() {
        counter.setStopReason(InstructionCounter.STOPPED_FOR_BUDGET);
        engine.stopInHook();
    }
}
