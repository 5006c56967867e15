package dev.nmilab.memory;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Anonymous host memory reserved lazily (MAP_NORESERVE): a 64 GiB emulated machine costs
 * only the pages its run touches, and mincore() tells which those are.
 */
final class HostPages {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = libc("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = libc("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MINCORE = libc("mincore", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
    private static final int PROT_READ_WRITE = 1 | 2;
    private static final int MAP_PRIVATE_ANONYMOUS_NORESERVE = 0x02 | 0x20 | 0x4000;

    private HostPages() {
    }

    private static MethodHandle libc(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    static MemorySegment reserve(long bytes) {
        try {
            MemorySegment base = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS_NORESERVE, -1, 0L);
            if (base.address() == -1L) {
                throw new IllegalStateException("cannot reserve " + bytes + " bytes of host memory");
            }
            return base.reinterpret(bytes);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void release(MemorySegment pages) {
        try {
            int ignored = (int) MUNMAP.invokeExact(pages, pages.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** One byte per 4 KiB page, bit 0 set when the page is resident (ever written or read). */
    static byte[] residency(MemorySegment pages) {
        long count = (pages.byteSize() + 4095) / 4096;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vector = arena.allocate(count);
            int rc = (int) MINCORE.invokeExact(pages, pages.byteSize(), vector);
            if (rc != 0) {
                throw new IllegalStateException("mincore failed");
            }
            return vector.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
