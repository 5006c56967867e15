package dev.nmilab.unicorn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One x86-64 Unicorn engine: one emulated CPU.
 *
 * <p>Every argument is checked before it reaches native code, every native error becomes
 * a {@link UnicornException}, and a Java hook that throws stops the run instead of
 * unwinding through native frames. Not thread-safe: one thread drives an engine.
 */
public final class Unicorn implements AutoCloseable {
    private static final int UC_ARCH_X86 = 4;
    private static final int UC_MODE_64 = 8;
    private static final int UC_HOOK_INTR = 1;
    private static final int UC_HOOK_INSN = 2;
    private static final int UC_HOOK_CODE = 4;
    private static final int UC_HOOK_BLOCK = 8;
    private static final int UC_HOOK_MEM_UNMAPPED = 16 | 32 | 64;
    private static final int UC_HOOK_MEM_PROT = 128 | 256 | 512;
    private static final int UC_HOOK_INSN_INVALID = 1 << 14;
    private static final int UC_X86_INS_IN = 218;
    private static final int UC_X86_INS_OUT = 500;
    private static final int CTL_TB_REMOVE_CACHE = 0x48000009;
    private static final int CTL_TB_FLUSH = 0x4000000a;
    private static final int CTL_TB_REQUEST_CACHE = 0xc8000008;
    private static final long PAGE = 4096;
    /** A non-canonical address: a run never ends by reaching it. */
    private static final long NEVER = 0xdead_0000_0000_0000L;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment uc;
    private final MemorySegment scratch;
    private final InstructionCounter counter;
    private final Sites sites;
    private final Map<Long, HookHandle> hooks = new LinkedHashMap<>();
    private final List<HookHandle> deferredFrees = new ArrayList<>();
    private final List<MemorySegment> hostMappings = new ArrayList<>();
    private final List<Arena> mmioArenas = new ArrayList<>();
    private final boolean counted;
    private CountingMode mode;
    private BlockCounting blocks;
    private long blockHook;
    private final List<Long> insideHooks = new ArrayList<>();
    private MemorySegment insideStub;
    private boolean closed;
    private boolean running;
    private boolean inDataHook;
    private boolean hookStopped;
    private boolean ripWrittenInHook;
    /** RIP as a hook at a block's start must see it (the engine's own may be stale there); -1 when none. */
    private long ripInHook = -1;
    private long cachedRip;
    private long cachedRflags;
    private boolean ripCached;
    private boolean rflagsCached;
    private long cachedRsp;
    private boolean rspCached;
    private boolean ripDirty;
    private boolean rspDirty;
    private Throwable hookFailure;
    private long hookFailureRip;

    private Unicorn(boolean counted, CountingMode mode) {
        Native.requireLoaded();
        this.counted = counted;
        this.mode = mode;
        MemorySegment handleBox = arena.allocate(ADDRESS);
        int err = invokeInt(() -> (int) Native.UC_OPEN.invokeExact(UC_ARCH_X86, UC_MODE_64, handleBox));
        if (err != 0) {
            arena.close();
            throw new UnicornException("uc_open", 0, err, Native.strerror(err));
        }
        uc = handleBox.get(ADDRESS, 0);
        scratch = arena.allocate(64, 16);
        MethodType codeShape = MethodType.methodType(void.class, MemorySegment.class, long.class, int.class,
                MemorySegment.class);
        BlockUpcalls blockUpcalls = new BlockUpcalls();
        counter = new InstructionCounter(arena,
                Native.LINKER.upcallStub(bind("call", new SiteUpcall(), codeShape), Native.CB_CODE, arena),
                Native.LINKER.upcallStub(bind("miss", blockUpcalls, codeShape), Native.CB_CODE, arena),
                Native.LINKER.upcallStub(bind("entry", blockUpcalls, codeShape), Native.CB_CODE, arena));
        sites = new Sites(counter);
        if (counted && mode == CountingMode.BLOCKS) {
            blocks = new BlockCounting(this, counter);
            insideStub = Native.LINKER.upcallStub(bind("inside", blockUpcalls, codeShape), Native.CB_CODE, arena);
            // Registered before any code is translated, so every block carries it.
            blockHook = addNativeHook(UC_HOOK_BLOCK, InstructionCounter.blockHook(), "uc_hook_add(block counter)");
        } else if (counted) {
            addNativeHook(UC_HOOK_CODE, InstructionCounter.instructionHook(),
                    "uc_hook_add(instruction counter)");
        }
    }

    private long addNativeHook(int type, MemorySegment code, String call) {
        MemorySegment box = arena.allocate(JAVA_LONG);
        check(call, 0, invokeInt(() -> (int) Native.UC_HOOK_ADD.invokeExact(uc, box, type, code,
                counter.userData(), 1L, 0L)));
        return box.get(JAVA_LONG, 0);
    }

    /** A new x86-64 engine, with the instruction counter installed, counting as {@code nmilab.counting} says. */
    public static Unicorn openX86_64() {
        return openX86_64(CountingMode.fromSystemProperty());
    }

    /** A new x86-64 engine counting its instructions in {@code mode}. */
    public static Unicorn openX86_64(CountingMode mode) {
        return new Unicorn(true, java.util.Objects.requireNonNull(mode, "mode"));
    }

    /**
     * An engine without the instruction counter: runs end only at hlt, a fault or emuStop, and
     * {@link #counter()} stays at zero. Only for measuring the engine's own ceiling.
     */
    public static Unicorn openUncounted() {
        return new Unicorn(false, CountingMode.INSTRUCTIONS);
    }

    /** Unicorn's version as "major.minor.patch". */
    public static String version() {
        Native.requireLoaded();
        int v = invokeInt(() -> (int) Native.UC_VERSION.invokeExact(MemorySegment.NULL, MemorySegment.NULL));
        return ((v >> 24) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 8) & 0xff);
    }

    public InstructionCounter counter() {
        requireOpen();
        return counter;
    }

    /**
     * How this engine counts now: an engine opened in {@link CountingMode#BLOCKS} moves to
     * {@link CountingMode#INSTRUCTIONS} for good when it meets code the decoder cannot split.
     */
    public CountingMode countingMode() {
        return mode;
    }

    // ---- memory ----

    public void memMap(long address, long size, int perms) {
        requireOpen();
        checkPageRange(address, size);
        Protection.check(perms);
        check("uc_mem_map", address, invokeInt(() -> (int) Native.UC_MEM_MAP.invokeExact(uc, address, size, perms)));
    }

    /** Map host memory at {@code address}; the same host memory may be mapped into several engines. */
    public void memMapPtr(long address, MemorySegment host, int perms) {
        requireOpen();
        if (!host.isNative()) {
            throw new IllegalArgumentException("memMapPtr needs native host memory");
        }
        long size = host.byteSize();
        checkPageRange(address, size);
        if (host.address() % PAGE != 0) {
            throw new IllegalArgumentException("host memory not page aligned");
        }
        Protection.check(perms);
        check("uc_mem_map_ptr", address,
                invokeInt(() -> (int) Native.UC_MEM_MAP_PTR.invokeExact(uc, address, size, perms, host)));
        hostMappings.add(host);
    }

    /** Map memory-mapped I/O: every access calls back into Java. */
    public void mmioMap(long address, long size, Hooks.MmioRead read, Hooks.MmioWrite write) {
        requireOpen();
        checkPageRange(address, size);
        Arena hookArena = Arena.ofShared();
        MemorySegment readStub = Native.LINKER.upcallStub(bind("mmioRead", new Upcalls.MmioUpcall(this, read, write),
                MethodType.methodType(long.class, MemorySegment.class, long.class, int.class, MemorySegment.class)),
                Native.CB_MMIO_READ, hookArena);
        MemorySegment writeStub = Native.LINKER.upcallStub(bind("mmioWrite", new Upcalls.MmioUpcall(this, read, write),
                MethodType.methodType(void.class, MemorySegment.class, long.class, int.class, long.class, MemorySegment.class)),
                Native.CB_MMIO_WRITE, hookArena);
        int err = invokeInt(() -> (int) Native.UC_MMIO_MAP.invokeExact(uc, address, size, readStub, MemorySegment.NULL,
                writeStub, MemorySegment.NULL));
        if (err != 0) {
            hookArena.close();
            throw new UnicornException("uc_mmio_map", address, err, Native.strerror(err));
        }
        mmioArenas.add(hookArena); // the region stays mapped until close
    }

    public void memUnmap(long address, long size) {
        requireOpen();
        checkPageRange(address, size);
        check("uc_mem_unmap", address, invokeInt(() -> (int) Native.UC_MEM_UNMAP.invokeExact(uc, address, size)));
    }

    public void memProtect(long address, long size, int perms) {
        requireOpen();
        checkPageRange(address, size);
        Protection.check(perms);
        check("uc_mem_protect", address,
                invokeInt(() -> (int) Native.UC_MEM_PROTECT.invokeExact(uc, address, size, perms)));
    }

    public void memRead(long address, byte[] into, int offset, int length) {
        requireOpen();
        checkArray(into, offset, length);
        checkNoWrap(address, length);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment buffer = call.allocate(Math.max(1, length));
            check("uc_mem_read", address,
                    invokeInt(() -> (int) Native.UC_MEM_READ.invokeExact(uc, address, buffer, (long) length)));
            MemorySegment.copy(buffer, 0, MemorySegment.ofArray(into), offset, length);
        }
    }

    public byte[] memRead(long address, int length) {
        byte[] bytes = new byte[length];
        memRead(address, bytes, 0, length);
        return bytes;
    }

    public void memWrite(long address, byte[] from, int offset, int length) {
        requireOpen();
        checkArray(from, offset, length);
        checkNoWrap(address, length);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment buffer = call.allocate(Math.max(1, length));
            MemorySegment.copy(MemorySegment.ofArray(from), offset, buffer, 0, length);
            check("uc_mem_write", address,
                    invokeInt(() -> (int) Native.UC_MEM_WRITE.invokeExact(uc, address, buffer, (long) length)));
        }
    }

    public void memWrite(long address, byte[] bytes) {
        memWrite(address, bytes, 0, bytes.length);
    }

    // ---- registers ----

    public long regRead(X86Reg reg) {
        requireOpen();
        if (running && reg == X86Reg.RIP && ripInHook != -1) {
            return ripInHook;
        }
        if (!running && reg == X86Reg.RIP && ripCached) {
            return cachedRip;
        }
        if (!running && reg == X86Reg.RFLAGS && rflagsCached) {
            return cachedRflags;
        }
        if (!running && reg == X86Reg.RSP && rspCached) {
            return cachedRsp;
        }
        scratch.set(JAVA_LONG, 0, 0L);
        check("uc_reg_read(" + reg + ")", 0, invokeInt(() -> (int) Native.UC_REG_READ.invokeExact(uc, reg.id, scratch)));
        long value = scratch.get(JAVA_LONG, 0);
        remember(reg, value);
        return value;
    }

    public void regWrite(X86Reg reg, long value) {
        requireOpen();
        if (running && reg == X86Reg.RIP) {
            hookStopped = true; // Unicorn leaves the block to go on at the new RIP
            ripWrittenInHook = true;
            ripInHook = -1;
        }
        if (!running && reg == X86Reg.RIP) {
            cachedRip = value; // written back before the engine next needs it
            ripCached = true;
            ripDirty = true;
            return;
        }
        if (!running && reg == X86Reg.RSP) {
            cachedRsp = value;
            rspCached = true;
            rspDirty = true;
            return;
        }
        nativeRegWrite(reg, value);
        if (reg == X86Reg.RFLAGS) {
            rflagsCached = false; // Unicorn keeps the fixed bits its own way: read it back next time
        } else {
            remember(reg, value);
        }
    }

    private void nativeRegWrite(X86Reg reg, long value) {
        scratch.set(JAVA_LONG, 0, value);
        check("uc_reg_write(" + reg + ")", value,
                invokeInt(() -> (int) Native.UC_REG_WRITE.invokeExact(uc, reg.id, scratch)));
    }

    /** Hand the engine the RIP and RSP Java set since the last run. */
    private void writeBack() {
        if (ripDirty) {
            ripDirty = false;
            nativeRegWrite(X86Reg.RIP, cachedRip);
        }
        if (rspDirty) {
            rspDirty = false;
            nativeRegWrite(X86Reg.RSP, cachedRsp);
        }
    }

    // RIP, RSP and RFLAGS are read far more often than anything changes them between runs (the
    // scheduler asks where every CPU is each quantum, Java task switches set RIP and RSP many
    // times before the engine runs again): kept here, and forgotten whenever the engine may have
    // changed them (a run, a write from a hook, a context restore)
    private void remember(X86Reg reg, long value) {
        if (running) {
            forgetCachedRegisters();
        } else if (reg == X86Reg.RIP) {
            cachedRip = value;
            ripCached = true;
        } else if (reg == X86Reg.RFLAGS) {
            cachedRflags = value;
            rflagsCached = true;
        } else if (reg == X86Reg.RSP) {
            cachedRsp = value;
            rspCached = true;
        }
    }

    private void forgetCachedRegisters() {
        ripCached = false;
        rflagsCached = false;
        rspCached = false;
    }

    public TableRegister readTable(X86Reg.Table table) {
        requireOpen();
        scratch.fill((byte) 0);
        check("uc_reg_read(" + table + ")", 0,
                invokeInt(() -> (int) Native.UC_REG_READ.invokeExact(uc, table.id, scratch)));
        return new TableRegister(Short.toUnsignedInt(scratch.get(JAVA_SHORT, 0)), scratch.get(JAVA_LONG, 8),
                scratch.get(JAVA_INT, 16), scratch.get(JAVA_INT, 20));
    }

    public void writeTable(X86Reg.Table table, TableRegister value) {
        requireOpen();
        scratch.fill((byte) 0);
        scratch.set(JAVA_SHORT, 0, (short) value.selector());
        scratch.set(JAVA_LONG, 8, value.base());
        scratch.set(JAVA_INT, 16, value.limit());
        scratch.set(JAVA_INT, 20, value.flags());
        check("uc_reg_write(" + table + ")", value.base(),
                invokeInt(() -> (int) Native.UC_REG_WRITE.invokeExact(uc, table.id, scratch)));
    }

    public long readMsr(int msr) {
        requireOpen();
        scratch.fill((byte) 0);
        scratch.set(JAVA_INT, 0, msr);
        check("uc_reg_read(MSR)", Integer.toUnsignedLong(msr),
                invokeInt(() -> (int) Native.UC_REG_READ.invokeExact(uc, X86Reg.MSR_ID, scratch)));
        return scratch.get(JAVA_LONG, 8);
    }

    public void writeMsr(int msr, long value) {
        requireOpen();
        scratch.fill((byte) 0);
        scratch.set(JAVA_INT, 0, msr);
        scratch.set(JAVA_LONG, 8, value);
        check("uc_reg_write(MSR)", Integer.toUnsignedLong(msr),
                invokeInt(() -> (int) Native.UC_REG_WRITE.invokeExact(uc, X86Reg.MSR_ID, scratch)));
    }

    // ---- running ----

    /**
     * Run from {@code begin} until the instruction budget of {@link #counter()} is spent, a hook
     * stops the engine, the guest executes hlt, or the guest faults in a way Unicorn reports as an
     * error (returned, not thrown). A hook that threw is rethrown as {@link HookFailedException}.
     */
    public EmuStatus emuStart(long begin) {
        return emuStart(begin, 0);
    }

    /**
     * As {@link #emuStart(long)}, also passing Unicorn's own instruction {@code count} (0 = none).
     * Unicorn ignores it for code translated by an earlier run without one, and keeps its counter
     * private: nmilab budgets runs with {@link #counter()}; this form exists to measure Unicorn itself.
     */
    public EmuStatus emuStart(long begin, long count) {
        requireOpen();
        if (count < 0) {
            throw new IllegalArgumentException("negative count " + count);
        }
        if (running) {
            throw new IllegalStateException("emuStart called from inside a hook");
        }
        counter.setEndedShort(false);
        long start = begin;
        long until = NEVER;
        int err;
        while (true) {
            counter.setStopReason(0);
            err = startOnce(start, until, count);
            if (blocks == null) {
                break;
            }
            if (blocks.finishPendingWork()) {
                start = regRead(X86Reg.RIP); // the block that stopped for it runs now
                continue;
            }
            if (until != NEVER) {
                blocks.remainderDone();
            } else if (err == 0 && counter.stopReason() == InstructionCounter.STOPPED_FOR_BUDGET) {
                long remaining = counter.budget() - counter.rawExecuted();
                if (remaining > 0 && counter.budgetIsExact()) {
                    until = blocks.remainderEnd(remaining);
                    start = regRead(X86Reg.RIP);
                    continue;
                }
                counter.setEndedShort(remaining > 0);
            }
            break;
        }
        counter.clearMark();
        EmuStatus status = EmuStatus.of(err);
        if (status == null) {
            throw new UnicornException("uc_emu_start", regRead(X86Reg.RIP), err, Native.strerror(err));
        }
        return status;
    }

    private int startOnce(long begin, long until, long count) {
        writeBack();
        running = true;
        forgetCachedRegisters();
        int err;
        try {
            err = invokeInt(() -> (int) Native.UC_EMU_START.invokeExact(uc, begin, until, 0L, count));
        } finally {
            running = false;
            forgetCachedRegisters();
            freeDeferredHooks();
            if (blocks != null) {
                blocks.restoreRip(); // also after a hook failure: the engine stays usable
            }
        }
        if (hookFailure != null) {
            Throwable failure = hookFailure;
            hookFailure = null;
            counter.clearMark();
            throw new HookFailedException(hookFailureRip, failure);
        }
        return err;
    }

    /**
     * After a run that ended in a data access fault: the instructions that may have faulted, in
     * order. Unicorn does not bring RIP up to date for such a fault in the middle of a block it
     * counts whole, so RIP is only known to be one of these; the caller finds which (it knows
     * the access) and says so with {@link #faultedAt}. Empty when RIP is exact (counting
     * instructions one by one, whose hook keeps RIP up to date).
     */
    public long[] faultCandidates() {
        requireOpen();
        return blocks == null ? new long[0] : blocks.faultCandidates(regRead(X86Reg.RIP));
    }

    /** The instruction at {@code address} faulted: RIP is set to it and it counts as started. */
    public void faultedAt(long address) {
        requireOpen();
        if (running) {
            throw new IllegalStateException("faultedAt is for after a run");
        }
        regWrite(X86Reg.RIP, address);
        if (blocks != null) {
            blocks.syncToRip(address);
        }
    }

    /**
     * Stop the current run (from a hook) before the next instruction. From a memory or port I/O
     * hook Unicorn would restart the access itself after a stop, so there the stop is left to
     * the budget, which the caller lowers: the engine then stops at the next instruction
     * ({@link CountingMode#INSTRUCTIONS}) or the next block ({@link CountingMode#BLOCKS}).
     */
    public void emuStop() {
        requireOpen();
        if (running && inDataHook) {
            return;
        }
        stopInHook();
    }

    /** uc_emu_stop, remembered as the current hook's doing. */
    void stopInHook() {
        if (!running) {
            return;
        }
        hookStopped = true;
        invokeInt(() -> (int) Native.UC_EMU_STOP.invokeExact(uc));
    }

    void clearHookStop() {
        hookStopped = false;
        ripWrittenInHook = false;
    }

    /** Whether the hook running now wrote RIP. */
    boolean ripWrittenInHook() {
        return ripWrittenInHook;
    }

    /** Whether the hook running now stopped the engine or moved RIP (the rest of its block will not run). */
    boolean hookStopped() {
        return hookStopped;
    }

    public boolean isRunning() {
        return running;
    }

    /** Forget translated code in [begin, last] (inclusive), so changed bytes or new hooks take effect. */
    public void flushTranslations(long begin, long last) {
        requireOpen();
        if (Long.compareUnsigned(begin, last) > 0) {
            throw new IllegalArgumentException(String.format("flush range 0x%x > 0x%x", begin, last));
        }
        if (last == -1L) {
            flushAllTranslations();
            return;
        }
        long end = last + 1; // uc_ctl takes an exclusive end above the start
        flushRange(begin, end);
        if (blocks != null) {
            blocks.forget(begin, end);
        }
    }

    public void flushAllTranslations() {
        requireOpen();
        check("uc_ctl(TB_FLUSH)", 0, invokeInt(() -> (int) Native.UC_CTL_NOARGS.invokeExact(uc, CTL_TB_FLUSH)));
        if (blocks != null) {
            blocks.forget(0, -1L);
        }
    }

    /** Drop translations of [begin, end) without saying the code changed (to translate again with new hooks). */
    void flushRange(long begin, long end) {
        check("uc_ctl(TB_REMOVE_CACHE)", begin,
                invokeInt(() -> (int) Native.UC_CTL_RANGE.invokeExact(uc, CTL_TB_REMOVE_CACHE, begin, end)));
    }

    /** Instructions in the translation of the block at {@code address} of {@code size} bytes; -1 if none. */
    int translatedInstructions(long address, int size) {
        MemorySegment tb = scratch.asSlice(32, 16);
        tb.fill((byte) 0);
        int err = invokeInt(() -> (int) Native.UC_CTL_REQUEST.invokeExact(uc, CTL_TB_REQUEST_CACHE, address, tb));
        if (err != 0 || tb.get(JAVA_LONG, 0) != address || Short.toUnsignedInt(tb.get(JAVA_SHORT, 10)) != size) {
            return -1;
        }
        return Short.toUnsignedInt(tb.get(JAVA_SHORT, 8));
    }

    // ---- sites: Java hooks on single instructions ----

    /**
     * Call {@code hook} before the instruction at {@code address} executes (after it is counted).
     * Costs nothing at other addresses, and needs no flush of translated code.
     */
    public SiteHook addSiteHook(long address, Hooks.CodeHook hook) {
        requireOpen();
        if (!counted) {
            throw new IllegalStateException("site hooks need a counted engine");
        }
        SiteHook site = sites.add(address, hook);
        if (blocks != null) {
            blocks.siteAdded(address);
        }
        return site;
    }

    boolean hasSite(long address) {
        return sites.has(address);
    }

    /** Site addresses in [begin, end). */
    java.util.Set<Long> sitesWithin(long begin, long end) {
        return sites.within(begin, end);
    }

    /** Run the site hooks at {@code address}, as the current hook. */
    void runSites(long address, int size) {
        if (hookFailure != null) {
            return;
        }
        try {
            sites.run(address, size);
        } catch (Throwable t) {
            hookThrew(t);
        }
    }

    /** A code hook on the one instruction at {@code address}, reaching {@link BlockCounting#onInside}. */
    void addInsideHook(long address) {
        MemorySegment box = scratch.asSlice(48, 8);
        check("uc_hook_add(inside)", address, invokeInt(() -> (int) Native.UC_HOOK_ADD.invokeExact(uc, box,
                UC_HOOK_CODE, insideStub, MemorySegment.NULL, address, address)));
        insideHooks.add(box.get(JAVA_LONG, 0));
    }

    /**
     * From block counting to counting every instruction, for good: the block hook and the hooks
     * inside blocks go, the instruction hook comes, and every translation is dropped so all
     * code carries it. Done between runs.
     */
    void switchToInstructionCounting() {
        check("uc_hook_del(block counter)", 0, invokeInt(() -> (int) Native.UC_HOOK_DEL.invokeExact(uc, blockHook)));
        for (long hook : insideHooks) {
            check("uc_hook_del(inside)", 0, invokeInt(() -> (int) Native.UC_HOOK_DEL.invokeExact(uc, hook)));
        }
        insideHooks.clear();
        blocks = null;
        mode = CountingMode.INSTRUCTIONS;
        addNativeHook(UC_HOOK_CODE, InstructionCounter.instructionHook(),
                "uc_hook_add(instruction counter)");
        flushAllTranslations();
    }

    private final class SiteUpcall {
        @SuppressWarnings("unused")
        void call(MemorySegment engine, long address, int size, MemorySegment user) {
            runSites(address, size);
        }
    }

    /** The native block hook's calls into Java, and the hooks on instructions inside blocks. */
    private final class BlockUpcalls {
        // At a block's start Unicorn's RIP may be stale; the block's own address is what hooks
        // (and a failure's report) must see.
        @SuppressWarnings("unused")
        void miss(MemorySegment engine, long address, int size, MemorySegment user) {
            atBlockStart(address, () -> blocks.onMiss(address, size));
        }

        @SuppressWarnings("unused")
        void entry(MemorySegment engine, long address, int size, MemorySegment user) {
            atBlockStart(address, () -> blocks.onEntry(address, size));
        }

        private void atBlockStart(long address, Runnable work) {
            if (hookFailure == null && blocks != null) {
                ripInHook = address;
                guarded(work);
                ripInHook = -1;
            }
        }

        @SuppressWarnings("unused")
        void inside(MemorySegment engine, long address, int size, MemorySegment user) {
            if (hookFailure == null && blocks != null) {
                guarded(() -> blocks.onInside(address, size));
            }
        }

        private void guarded(Runnable work) {
            try {
                work.run();
            } catch (Throwable t) {
                hookThrew(t);
            }
        }
    }

    // ---- hooks ----

    /** Call {@code hook} before each instruction in [begin, end]; keep ranges narrow (an upcall is ~40 ns). */
    public HookHandle addCodeHook(long begin, long end, Hooks.CodeHook hook) {
        requireOpen();
        if (Long.compareUnsigned(begin, end) > 0) {
            throw new IllegalArgumentException(String.format("hook range 0x%x > 0x%x", begin, end));
        }
        HookHandle handle = addHook(UC_HOOK_CODE, begin, end, "code", new Upcalls.CodeUpcall(this, hook),
                MethodType.methodType(void.class, MemorySegment.class, long.class, int.class, MemorySegment.class),
                Native.CB_CODE);
        flushTranslations(begin, end);
        return handle;
    }

    public HookHandle addInterruptHook(Hooks.InterruptHook hook) {
        return addHook(UC_HOOK_INTR, 1, 0, "interrupt", new Upcalls.InterruptUpcall(this, hook),
                MethodType.methodType(void.class, MemorySegment.class, int.class, MemorySegment.class), Native.CB_INTR);
    }

    public HookHandle addInvalidInstructionHook(Hooks.InvalidInstructionHook hook) {
        return addHook(UC_HOOK_INSN_INVALID, 1, 0, "invalid", new Upcalls.InvalidUpcall(this, hook),
                MethodType.methodType(boolean.class, MemorySegment.class, MemorySegment.class), Native.CB_INSN_INVALID);
    }

    /** Unmapped and protection faults on data, writes and fetches. */
    public HookHandle addMemoryFaultHook(Hooks.MemoryFaultHook hook) {
        return addHook(UC_HOOK_MEM_UNMAPPED | UC_HOOK_MEM_PROT, 1, 0, "memory", new Upcalls.MemoryUpcall(this, hook),
                MethodType.methodType(boolean.class, MemorySegment.class, int.class, long.class, int.class, long.class,
                        MemorySegment.class), Native.CB_MEM_EVENT);
    }

    public HookHandle addPortInHook(Hooks.PortInHook hook) {
        return addInsnHook(UC_X86_INS_IN, "in", new Upcalls.PortInUpcall(this, hook),
                MethodType.methodType(int.class, MemorySegment.class, int.class, int.class, MemorySegment.class),
                Native.CB_IN);
    }

    public HookHandle addPortOutHook(Hooks.PortOutHook hook) {
        return addInsnHook(UC_X86_INS_OUT, "out", new Upcalls.PortOutUpcall(this, hook),
                MethodType.methodType(void.class, MemorySegment.class, int.class, int.class, int.class,
                        MemorySegment.class), Native.CB_OUT);
    }

    private HookHandle addHook(int type, long begin, long end, String method, Object target, MethodType shape,
            java.lang.foreign.FunctionDescriptor descriptor) {
        requireOpen();
        Arena hookArena = Arena.ofShared();
        MemorySegment stub = Native.LINKER.upcallStub(bind("call", target, shape), descriptor, hookArena);
        MemorySegment box = hookArena.allocate(JAVA_LONG);
        int err = invokeInt(() -> (int) Native.UC_HOOK_ADD.invokeExact(uc, box, type, stub, MemorySegment.NULL, begin, end));
        return register(err, box, hookArena, "uc_hook_add(" + method + ")", begin, (Upcalls.Upcall) target);
    }

    private HookHandle addInsnHook(int instruction, String method, Object target, MethodType shape,
            java.lang.foreign.FunctionDescriptor descriptor) {
        requireOpen();
        Arena hookArena = Arena.ofShared();
        MemorySegment stub = Native.LINKER.upcallStub(bind("call", target, shape), descriptor, hookArena);
        MemorySegment box = hookArena.allocate(JAVA_LONG);
        int err = invokeInt(() -> (int) Native.UC_HOOK_ADD_INSN.invokeExact(uc, box, UC_HOOK_INSN, stub,
                MemorySegment.NULL, 1L, 0L, instruction));
        return register(err, box, hookArena, "uc_hook_add(" + method + ")", 0, (Upcalls.Upcall) target);
    }

    private HookHandle register(int err, MemorySegment box, Arena hookArena, String call, long address,
            Upcalls.Upcall target) {
        if (err != 0) {
            hookArena.close();
            throw new UnicornException(call, address, err, Native.strerror(err));
        }
        HookHandle handle = new HookHandle(this, box.get(JAVA_LONG, 0), hookArena, target);
        hooks.put(handle.id, handle);
        return handle;
    }

    void removeHook(HookHandle handle) {
        if (closed || hooks.remove(handle.id) == null) {
            return;
        }
        check("uc_hook_del", 0, invokeInt(() -> (int) Native.UC_HOOK_DEL.invokeExact(uc, handle.id)));
        handle.target.removed = true;
        deferredFrees.add(handle); // freed when the next run (or this one) ends: see Upcall
    }

    private void freeDeferredHooks() {
        for (HookHandle handle : deferredFrees) {
            handle.arena.close();
        }
        deferredFrees.clear();
    }

    // ---- contexts ----

    public UnicornContext saveContext() {
        requireOpen();
        writeBack();
        MemorySegment box = scratch;
        check("uc_context_alloc", 0, invokeInt(() -> (int) Native.UC_CONTEXT_ALLOC.invokeExact(uc, box)));
        MemorySegment context = box.get(ADDRESS, 0);
        check("uc_context_save", 0, invokeInt(() -> (int) Native.UC_CONTEXT_SAVE.invokeExact(uc, context)));
        return new UnicornContext(this, context);
    }

    public void restoreContext(UnicornContext context) {
        requireOpen();
        MemorySegment handle = context.handle(this);
        ripDirty = false; // the context brings its own
        rspDirty = false;
        forgetCachedRegisters();
        check("uc_context_restore", 0, invokeInt(() -> (int) Native.UC_CONTEXT_RESTORE.invokeExact(uc, handle)));
    }

    void freeContext(MemorySegment context) {
        invokeInt(() -> (int) Native.UC_CONTEXT_FREE.invokeExact(context));
    }

    // ---- lifetime ----

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (running) {
            throw new IllegalStateException("cannot close an engine from inside its own hook");
        }
        closed = true;
        sites.close();
        invokeInt(() -> (int) Native.UC_CLOSE.invokeExact(uc));
        for (HookHandle handle : hooks.values()) {
            handle.arena.close();
        }
        hooks.clear();
        for (HookHandle handle : deferredFrees) {
            handle.arena.close();
        }
        deferredFrees.clear();
        mmioArenas.forEach(Arena::close);
        mmioArenas.clear();
        hostMappings.clear();
        arena.close();
    }

    // ---- upcall plumbing ----

    boolean hookFailed() {
        return hookFailure != null;
    }

    void hookThrew(Throwable failure) {
        if (hookFailure == null && ripInHook != -1) {
            hookFailure = failure;
            hookFailureRip = ripInHook;
        } else if (hookFailure == null) {
            hookFailure = failure;
            try {
                scratch.set(JAVA_LONG, 0, 0L);
                MethodHandle read = Native.UC_REG_READ;
                int ignored = (int) read.invokeExact(uc, X86Reg.RIP.id, scratch);
                hookFailureRip = scratch.get(JAVA_LONG, 0);
            } catch (Throwable t) {
                hookFailureRip = 0;
            }
        }
        hookStopped = true;
        try {
            int ignored = (int) Native.UC_EMU_STOP.invokeExact(uc);
        } catch (Throwable t) {
            // nothing more can be done from inside an upcall
        }
    }

    /** An instruction faulted (RIP is exact in exception hooks): the count up to it, not its whole block. */
    void syncToRip() {
        if (blocks != null) {
            blocks.syncToRip(regRead(X86Reg.RIP));
        }
    }

    /** A hook called in the middle of an instruction's memory or port access. */
    <T> T asDataHook(java.util.function.Supplier<T> access) {
        boolean outer = inDataHook;
        inDataHook = true;
        try {
            return access.get();
        } finally {
            inDataHook = outer;
        }
    }

    private static MethodHandle bind(String name, Object target, MethodType shape) {
        try {
            return MethodHandles.lookup().findVirtual(target.getClass(), name, shape).bindTo(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("upcall shape " + name + shape, e);
        }
    }

    // ---- checks ----

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("engine is closed");
        }
    }

    private static void checkPageRange(long address, long size) {
        if (size <= 0 || size % PAGE != 0 || address % PAGE != 0) {
            throw new IllegalArgumentException(String.format(
                    "address 0x%x and size 0x%x must be page aligned and size > 0", address, size));
        }
        checkNoWrap(address, size);
    }

    private static void checkNoWrap(long address, long length) {
        if (length < 0 || (length > 0 && Long.compareUnsigned(address + length - 1, address) < 0)) {
            throw new IllegalArgumentException(String.format("range 0x%x +0x%x wraps the address space", address, length));
        }
    }

    private static void checkArray(byte[] array, int offset, int length) {
        if (array == null) {
            throw new NullPointerException("buffer");
        }
        if (offset < 0 || length < 0 || offset > array.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + " length " + length + " of " + array.length);
        }
    }

    private static void check(String call, long address, int err) {
        if (err != 0) {
            throw new UnicornException(call, address, err, Native.strerror(err));
        }
    }

    @FunctionalInterface
    private interface NativeCall {
        int call() throws Throwable;
    }

    private static int invokeInt(NativeCall call) {
        try {
            return call.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
