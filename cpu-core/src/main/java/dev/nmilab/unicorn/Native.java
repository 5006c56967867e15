package dev.nmilab.unicorn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/** Downcall handles into libunicorn.so.2 (Debian's libunicorn2, Unicorn 2.0.1). */
final class Native {
    static final String LIBRARY = "libunicorn.so.2";

    static final Linker LINKER = Linker.nativeLinker();

    private static final SymbolLookup LOOKUP = load();

    static final MethodHandle UC_VERSION = down("uc_version", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle UC_OPEN = down("uc_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle UC_CLOSE = down("uc_close", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle UC_STRERROR = down("uc_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    static final MethodHandle UC_MEM_MAP = down("uc_mem_map",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
    static final MethodHandle UC_MEM_MAP_PTR = down("uc_mem_map_ptr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS));
    static final MethodHandle UC_MMIO_MAP = down("uc_mmio_map",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle UC_MEM_UNMAP = down("uc_mem_unmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    static final MethodHandle UC_MEM_PROTECT = down("uc_mem_protect",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
    static final MethodHandle UC_MEM_READ = down("uc_mem_read",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
    static final MethodHandle UC_MEM_WRITE = down("uc_mem_write",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
    static final MethodHandle UC_REG_READ = down("uc_reg_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    static final MethodHandle UC_REG_WRITE = down("uc_reg_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    static final MethodHandle UC_EMU_START = down("uc_emu_start",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    static final MethodHandle UC_EMU_STOP = down("uc_emu_stop", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle UC_HOOK_ADD = down("uc_hook_add",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG));
    /** uc_hook_add is variadic: UC_HOOK_INSN passes the instruction id after the range. */
    static final MethodHandle UC_HOOK_ADD_INSN = down("uc_hook_add",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT),
            Linker.Option.firstVariadicArg(7));
    static final MethodHandle UC_HOOK_DEL = down("uc_hook_del", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle UC_CONTEXT_ALLOC = down("uc_context_alloc", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle UC_CONTEXT_SAVE = down("uc_context_save", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle UC_CONTEXT_RESTORE = down("uc_context_restore", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle UC_CONTEXT_FREE = down("uc_context_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /** uc_ctl(uc, control, uint64_t begin, uint64_t end): the TB-cache removal form. */
    static final MethodHandle UC_CTL_RANGE = down("uc_ctl",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(2));
    /** uc_ctl(uc, control, uint64_t address, uc_tb *out): the TB-cache request form. */
    static final MethodHandle UC_CTL_REQUEST = down("uc_ctl",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    static final MethodHandle UC_CTL_NOARGS = down("uc_ctl",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
    static final MemorySegment UC_EMU_STOP_ADDRESS = LOOKUP == null ? MemorySegment.NULL : LOOKUP.find("uc_emu_stop").orElseThrow();

    // libc, for the executable page of the native instruction counter.
    static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("mmap").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    static final MethodHandle MPROTECT = LINKER.downcallHandle(LINKER.defaultLookup().find("mprotect").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    // upcall shapes (unicorn.h callback typedefs)
    static final FunctionDescriptor CB_CODE = FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS);
    static final FunctionDescriptor CB_INTR = FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS);
    static final FunctionDescriptor CB_INSN_INVALID = FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, ADDRESS);
    static final FunctionDescriptor CB_MEM_EVENT = FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS);
    static final FunctionDescriptor CB_IN = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
    static final FunctionDescriptor CB_OUT = FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    static final FunctionDescriptor CB_MMIO_READ = FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS);
    static final FunctionDescriptor CB_MMIO_WRITE = FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS);

    private static Throwable loadFailure;

    private Native() {
    }

    private static SymbolLookup load() {
        try {
            return SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        } catch (IllegalArgumentException | IllegalCallerException e) {
            loadFailure = e;
            return null;
        }
    }

    private static MethodHandle down(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        if (LOOKUP == null) {
            return null;
        }
        return LINKER.downcallHandle(LOOKUP.find(name).orElseThrow(), descriptor, options);
    }

    static void requireLoaded() {
        if (LOOKUP == null) {
            throw new UnicornUnavailableException(LIBRARY + " not found: install Debian's libunicorn2 "
                    + "(apt-get install libunicorn2)", loadFailure);
        }
    }

    static String strerror(int code) {
        try {
            MemorySegment text = (MemorySegment) UC_STRERROR.invokeExact(code);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "uc_err " + code;
        }
    }
}
