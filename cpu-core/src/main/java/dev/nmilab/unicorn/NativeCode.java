package dev.nmilab.unicorn;

import java.lang.foreign.MemorySegment;

/** Machine code of nmilab's native hooks, placed in an executable page of its own. */
final class NativeCode {
    private static final int PAGE = 4096;

    private NativeCode() {
    }

    /** A read+execute page holding {@code code}, never freed (the hooks live as long as the JVM). */
    static MemorySegment executable(byte[] code) {
        if (code.length > PAGE) {
            throw new IllegalArgumentException("native hook larger than a page");
        }
        try {
            final int protRead = 1;
            final int protWrite = 2;
            final int protExec = 4;
            final int mapPrivateAnonymous = 0x02 | 0x20;
            MemorySegment page = (MemorySegment) Native.MMAP.invokeExact(MemorySegment.NULL, (long) PAGE,
                    protRead | protWrite, mapPrivateAnonymous, -1, 0L);
            if (page.address() == -1L || page.address() == 0L) {
                throw new IllegalStateException("mmap of a native hook page failed");
            }
            page = page.reinterpret(PAGE);
            MemorySegment.copy(MemorySegment.ofArray(code), 0, page, 0, code.length);
            int rc = (int) Native.MPROTECT.invokeExact(page, (long) PAGE, protRead | protExec);
            if (rc != 0) {
                throw new IllegalStateException("mprotect of a native hook page failed");
            }
            return page;
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
