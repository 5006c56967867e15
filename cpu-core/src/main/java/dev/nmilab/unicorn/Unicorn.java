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
    private static final int UC_HOOK_MEM_UNMAPPED = 16 | 32 | 64;
    private static final int UC_HOOK_MEM_PROT = 128 | 256 | 512;
    private static final int UC_HOOK_INSN_INVALID = 1 << 14;
    private static final int UC_X86_INS_IN = 218;
    private static final int UC_X86_INS_OUT = 500;
    private static final int CTL_TB_REMOVE_CACHE = 0x48000009;
    private static final int CTL_TB_FLUSH = 0x4000000a;
    private static final long PAGE = 4096;
    /** A non-canonical address: a run never ends by reaching it. */
    private static final long NEVER = 0xdead_0000_0000_0000L;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment uc;
    private final MemorySegment scratch;
    private final InstructionCounter counter;
    private final Map<Long, HookHandle> hooks = new LinkedHashMap<>();
    private final List<HookHandle> deferredFrees = new ArrayList<>();
    private final List<MemorySegment> hostMappings = new ArrayList<>();
    private final List<Arena> mmioArenas = new ArrayList<>();
    private final java.util.TreeMap<Long, List<SiteHook>> sites = new java.util.TreeMap<>(Long::compareUnsigned);
    private final boolean counted;
    private boolean closed;
    private boolean running;
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

    private Unicorn(boolean counted) {
        Native.requireLoaded();
        this.counted = counted;
        MemorySegment handleBox = arena.allocate(ADDRESS);
        int err = invokeInt(() -> (int) Native.UC_OPEN.invokeExact(UC_ARCH_X86, UC_MODE_64, handleBox));
        if (err != 0) {
            arena.close();
            throw new UnicornException("uc_open", 0, err, Native.strerror(err));
        }
        uc = handleBox.get(ADDRESS, 0);
        scratch = arena.allocate(64, 16);
        MemorySegment dispatcher = Native.LINKER.upcallStub(bind("call", new SiteUpcall(),
                MethodType.methodType(void.class, MemorySegment.class, long.class, int.class, MemorySegment.class)),
                Native.CB_CODE, arena);
        counter = new InstructionCounter(arena, dispatcher);
        if (counted) {
            // Registered before any code is translated, so every block carries it.
            MemorySegment box = arena.allocate(JAVA_LONG);
            check("uc_hook_add(counter)", 0, invokeInt(() -> (int) Native.UC_HOOK_ADD.invokeExact(uc, box,
                    UC_HOOK_CODE, InstructionCounter.code(), counter.userData(), 1L, 0L)));
        }
    }

    /** A new x86-64 engine, with the instruction counter installed. */
    public static Unicorn openX86_64() {
        return new Unicorn(true);
    }

    /**
     * An engine without the instruction counter: runs end only at hlt, a fault or emuStop, and
     * {@link #counter()} stays at zero. Only for measuring the engine's own ceiling.
     */
    public static Unicorn openUncounted() {
        return new Unicorn(false);
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
        MemorySegment readStub = Native.LINKER.upcallStub(bind("mmioRead", new MmioUpcall(read, write),
                MethodType.methodType(long.class, MemorySegment.class, long.class, int.class, MemorySegment.class)),
                Native.CB_MMIO_READ, hookArena);
        MemorySegment writeStub = Native.LINKER.upcallStub(bind("mmioWrite", new MmioUpcall(read, write),
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
        writeBack();
        running = true;
        forgetCachedRegisters();
        int err;
        try {
            err = invokeInt(() -> (int) Native.UC_EMU_START.invokeExact(uc, begin, NEVER, 0L, count));
        } finally {
            running = false;
            forgetCachedRegisters();
            freeDeferredHooks();
        }
        if (hookFailure != null) {
            Throwable failure = hookFailure;
            hookFailure = null;
            throw new HookFailedException(hookFailureRip, failure);
        }
        EmuStatus status = EmuStatus.of(err);
        if (status == null) {
            throw new UnicornException("uc_emu_start", regRead(X86Reg.RIP), err, Native.strerror(err));
        }
        return status;
    }

    /** Stop the current run (from a hook) after the current instruction. */
    public void emuStop() {
        requireOpen();
        invokeInt(() -> (int) Native.UC_EMU_STOP.invokeExact(uc));
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
        check("uc_ctl(TB_REMOVE_CACHE)", begin,
                invokeInt(() -> (int) Native.UC_CTL_RANGE.invokeExact(uc, CTL_TB_REMOVE_CACHE, begin, end)));
    }

    public void flushAllTranslations() {
        requireOpen();
        check("uc_ctl(TB_FLUSH)", 0, invokeInt(() -> (int) Native.UC_CTL_NOARGS.invokeExact(uc, CTL_TB_FLUSH)));
    }

    // ---- sites: Java hooks on single instructions, filtered by the native counter hook ----

    /** A hook on one instruction address, removed by close(). */
    public final class SiteHook implements AutoCloseable {
        private final long address;
        private final Hooks.CodeHook hook;
        private boolean removed;

        private SiteHook(long address, Hooks.CodeHook hook) {
            this.address = address;
            this.hook = hook;
        }

        @Override
        public void close() {
            if (removed || closed) {
                return;
            }
            removed = true;
            List<SiteHook> here = sites.get(address);
            here.remove(this);
            if (here.isEmpty()) {
                sites.remove(address);
            }
            counter.setSites(sites.keySet());
        }
    }

    /**
     * Call {@code hook} before the instruction at {@code address} executes (after it is counted).
     * Costs nothing at other addresses, and needs no flush of translated code.
     */
    public SiteHook addSiteHook(long address, Hooks.CodeHook hook) {
        requireOpen();
        if (!counted) {
            throw new IllegalStateException("site hooks need a counted engine");
        }
        SiteHook site = new SiteHook(address, hook);
        sites.computeIfAbsent(address, a -> new ArrayList<>()).add(site);
        counter.setSites(sites.keySet());
        return site;
    }

    private final class SiteUpcall {
        @SuppressWarnings("unused")
        void call(MemorySegment engine, long address, int size, MemorySegment user) {
            if (hookFailure != null) {
                return;
            }
            List<SiteHook> here = sites.get(address);
            if (here == null) {
                return; // another address with the same hash
            }
            try {
                for (SiteHook site : List.copyOf(here)) {
                    if (!site.removed) {
                        site.hook.onCode(address, size);
                    }
                }
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
        HookHandle handle = addHook(UC_HOOK_CODE, begin, end, "code", new CodeUpcall(hook),
                MethodType.methodType(void.class, MemorySegment.class, long.class, int.class, MemorySegment.class),
                Native.CB_CODE);
        flushTranslations(begin, end);
        return handle;
    }

    public HookHandle addInterruptHook(Hooks.InterruptHook hook) {
        return addHook(UC_HOOK_INTR, 1, 0, "interrupt", new InterruptUpcall(hook),
                MethodType.methodType(void.class, MemorySegment.class, int.class, MemorySegment.class), Native.CB_INTR);
    }

    public HookHandle addInvalidInstructionHook(Hooks.InvalidInstructionHook hook) {
        return addHook(UC_HOOK_INSN_INVALID, 1, 0, "invalid", new InvalidUpcall(hook),
                MethodType.methodType(boolean.class, MemorySegment.class, MemorySegment.class), Native.CB_INSN_INVALID);
    }

    /** Unmapped and protection faults on data, writes and fetches. */
    public HookHandle addMemoryFaultHook(Hooks.MemoryFaultHook hook) {
        return addHook(UC_HOOK_MEM_UNMAPPED | UC_HOOK_MEM_PROT, 1, 0, "memory", new MemoryUpcall(hook),
                MethodType.methodType(boolean.class, MemorySegment.class, int.class, long.class, int.class, long.class,
                        MemorySegment.class), Native.CB_MEM_EVENT);
    }

    public HookHandle addPortInHook(Hooks.PortInHook hook) {
        return addInsnHook(UC_X86_INS_IN, "in", new PortInUpcall(hook),
                MethodType.methodType(int.class, MemorySegment.class, int.class, int.class, MemorySegment.class),
                Native.CB_IN);
    }

    public HookHandle addPortOutHook(Hooks.PortOutHook hook) {
        return addInsnHook(UC_X86_INS_OUT, "out", new PortOutUpcall(hook),
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
        return register(err, box, hookArena, "uc_hook_add(" + method + ")", begin);
    }

    private HookHandle addInsnHook(int instruction, String method, Object target, MethodType shape,
            java.lang.foreign.FunctionDescriptor descriptor) {
        requireOpen();
        Arena hookArena = Arena.ofShared();
        MemorySegment stub = Native.LINKER.upcallStub(bind("call", target, shape), descriptor, hookArena);
        MemorySegment box = hookArena.allocate(JAVA_LONG);
        int err = invokeInt(() -> (int) Native.UC_HOOK_ADD_INSN.invokeExact(uc, box, UC_HOOK_INSN, stub,
                MemorySegment.NULL, 1L, 0L, instruction));
        return register(err, box, hookArena, "uc_hook_add(" + method + ")", 0);
    }

    private HookHandle register(int err, MemorySegment box, Arena hookArena, String call, long address) {
        if (err != 0) {
            hookArena.close();
            throw new UnicornException(call, address, err, Native.strerror(err));
        }
        HookHandle handle = new HookHandle(this, box.get(JAVA_LONG, 0), hookArena);
        hooks.put(handle.id, handle);
        return handle;
    }

    void removeHook(HookHandle handle) {
        if (closed || hooks.remove(handle.id) == null) {
            return;
        }
        check("uc_hook_del", 0, invokeInt(() -> (int) Native.UC_HOOK_DEL.invokeExact(uc, handle.id)));
        if (running) {
            deferredFrees.add(handle); // the stub may be on the native stack right now
        } else {
            handle.arena.close();
        }
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

    private void hookThrew(Throwable failure) {
        if (hookFailure == null) {
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
        try {
            int ignored = (int) Native.UC_EMU_STOP.invokeExact(uc);
        } catch (Throwable t) {
            // nothing more can be done from inside an upcall
        }
    }

    private final class CodeUpcall {
        private final Hooks.CodeHook hook;

        CodeUpcall(Hooks.CodeHook hook) {
            this.hook = hook;
        }

        @SuppressWarnings("unused")
        void call(MemorySegment engine, long address, int size, MemorySegment user) {
            if (hookFailure != null) {
                return;
            }
            try {
                hook.onCode(address, size);
            } catch (Throwable t) {
                hookThrew(t);
            }
        }
    }

    private final class InterruptUpcall {
        private final Hooks.InterruptHook hook;

        InterruptUpcall(Hooks.InterruptHook hook) {
            this.hook = hook;
        }

        @SuppressWarnings("unused")
        void call(MemorySegment engine, int vector, MemorySegment user) {
            if (hookFailure != null) {
                return;
            }
            try {
                hook.onInterrupt(vector);
            } catch (Throwable t) {
                hookThrew(t);
            }
        }
    }

    private final class InvalidUpcall {
        private final Hooks.InvalidInstructionHook hook;

        InvalidUpcall(Hooks.InvalidInstructionHook hook) {
            this.hook = hook;
        }

        @SuppressWarnings("unused")
        boolean call(MemorySegment engine, MemorySegment user) {
            if (hookFailure != null) {
                return false;
            }
            try {
                return hook.onInvalidInstruction();
            } catch (Throwable t) {
                hookThrew(t);
                return false;
            }
        }
    }

    private final class MemoryUpcall {
        private final Hooks.MemoryFaultHook hook;

        MemoryUpcall(Hooks.MemoryFaultHook hook) {
            this.hook = hook;
        }

        @SuppressWarnings("unused")
        boolean call(MemorySegment engine, int type, long address, int size, long value, MemorySegment user) {
            if (hookFailure != null) {
                return false;
            }
            try {
                return hook.onFault(MemoryAccess.of(type), address, size, value);
            } catch (Throwable t) {
                hookThrew(t);
                return false;
            }
        }
    }

    private final class PortInUpcall {
        private final Hooks.PortInHook hook;

        PortInUpcall(Hooks.PortInHook hook) {
            this.hook = hook;
        }

        @SuppressWarnings("unused")
        int call(MemorySegment engine, int port, int size, MemorySegment user) {
            if (hookFailure != null) {
                return 0;
            }
            try {
                return hook.in(port, size);
            } catch (Throwable t) {
                hookThrew(t);
                return 0;
            }
        }
    }

    private final class PortOutUpcall {
        private final Hooks.PortOutHook hook;

        PortOutUpcall(Hooks.PortOutHook hook) {
            this.hook = hook;
        }

        @SuppressWarnings("unused")
        void call(MemorySegment engine, int port, int size, int value, MemorySegment user) {
            if (hookFailure != null) {
                return;
            }
            try {
                hook.out(port, size, value);
            } catch (Throwable t) {
                hookThrew(t);
            }
        }
    }

    private final class MmioUpcall {
        private final Hooks.MmioRead read;
        private final Hooks.MmioWrite write;

        MmioUpcall(Hooks.MmioRead read, Hooks.MmioWrite write) {
            this.read = read;
            this.write = write;
        }

        @SuppressWarnings("unused")
        long mmioRead(MemorySegment engine, long offset, int size, MemorySegment user) {
            if (hookFailure != null) {
                return 0;
            }
            try {
                return read.read(offset, size);
            } catch (Throwable t) {
                hookThrew(t);
                return 0;
            }
        }

        @SuppressWarnings("unused")
        void mmioWrite(MemorySegment engine, long offset, int size, long value, MemorySegment user) {
            if (hookFailure != null) {
                return;
            }
            try {
                write.write(offset, size, value);
            } catch (Throwable t) {
                hookThrew(t);
            }
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
