package dev.nmilab.unicorn;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The one native code hook of a counted engine: it counts executed instructions, stops the
 * engine at a budget, and calls Java only at registered site addresses.
 *
 * <p>Unicorn's own {@code count} keeps its counter private, so a run that ends early (hlt, a
 * fault, a hook's stop) would not say how far it got; a Java upcall per instruction costs
 * ~40 ns; and every extra code hook is checked on every instruction once one hook covers all
 * code (measured: ten single-address hooks cut the speed 2.7x). So this hook is a few bytes of
 * machine code run before every instruction: it increments the counter unless the budget is
 * spent (then it tail-calls uc_emu_stop, so the instruction does not execute), and tests the
 * address against a 64 Kbit hashed bitmap of sites, tail-calling the Java dispatcher on a hit
 * (a false hit only costs an upcall: Java checks the exact address).
 *
 * <pre>
 *   block: +0 executed  +8 budget  +16 uc_emu_stop  +24 site dispatcher  +64 site bitmap
 *
 *   mov  (%rcx),%rax          ; rcx = user_data = block
 *   cmp  8(%rcx),%rax         ; executed &gt;= budget ?
 *   jae  stop
 *   inc  %rax
 *   mov  %rax,(%rcx)
 *   mov  %rsi,%rax            ; rsi = address
 *   shr  $20,%rax
 *   xor  %rsi,%rax
 *   and  $0xffff,%eax         ; hash = (address ^ address &gt;&gt; 20) &amp; 0xffff
 *   bt   %rax,64(%rcx)
 *   jb   site
 *   ret
 * site: jmp *24(%rcx)         ; Java, with the same four arguments
 * stop: jmp *16(%rcx)         ; uc_emu_stop(uc): rdi still holds uc
 * </pre>
 */
public final class InstructionCounter {
    private static final byte[] CODE = {
        0x48, (byte) 0x8b, 0x01,
        0x48, 0x3b, 0x41, 0x08,
        0x73, 0x20,
        0x48, (byte) 0xff, (byte) 0xc0,
        0x48, (byte) 0x89, 0x01,
        0x48, (byte) 0x89, (byte) 0xf0,
        0x48, (byte) 0xc1, (byte) 0xe8, 0x14,
        0x48, 0x31, (byte) 0xf0,
        0x25, (byte) 0xff, (byte) 0xff, 0x00, 0x00,
        0x48, 0x0f, (byte) 0xa3, 0x41, 0x40,
        0x72, 0x01,
        (byte) 0xc3,
        (byte) 0xff, 0x61, 0x18,
        (byte) 0xff, 0x61, 0x10,
    };
    private static final long BITMAP_OFFSET = 64;
    private static final long BITMAP_BYTES = 65536 / 8;

    private static MemorySegment code;

    private final MemorySegment block;

    InstructionCounter(Arena arena, MemorySegment siteDispatcher) {
        block = arena.allocate(BITMAP_OFFSET + BITMAP_BYTES, 64);
        block.fill((byte) 0);
        block.set(JAVA_LONG, 8, Long.MAX_VALUE);
        block.set(java.lang.foreign.ValueLayout.ADDRESS, 16, Native.UC_EMU_STOP_ADDRESS);
        block.set(java.lang.foreign.ValueLayout.ADDRESS, 24, siteDispatcher);
    }

    static int siteHash(long address) {
        return (int) ((address ^ (address >>> 20)) & 0xffff);
    }

    /** Set the site bitmap to exactly {@code sites}. */
    void setSites(java.util.Collection<Long> sites) {
        block.asSlice(BITMAP_OFFSET, BITMAP_BYTES).fill((byte) 0);
        for (long site : sites) {
            int bit = siteHash(site);
            long at = BITMAP_OFFSET + bit / 8;
            byte old = block.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at);
            block.set(java.lang.foreign.ValueLayout.JAVA_BYTE, at, (byte) (old | (1 << (bit % 8))));
        }
    }

    static synchronized MemorySegment code() {
        if (code == null) {
            try {
                final int protRead = 1;
                final int protWrite = 2;
                final int protExec = 4;
                final int mapPrivateAnonymous = 0x02 | 0x20;
                MemorySegment page = (MemorySegment) Native.MMAP.invokeExact(MemorySegment.NULL, 4096L,
                        protRead | protWrite, mapPrivateAnonymous, -1, 0L);
                if (page.address() == -1L || page.address() == 0L) {
                    throw new IllegalStateException("mmap of the counter page failed");
                }
                page = page.reinterpret(4096);
                MemorySegment.copy(MemorySegment.ofArray(CODE), 0, page, 0, CODE.length);
                int rc = (int) Native.MPROTECT.invokeExact(page, 4096L, protRead | protExec);
                if (rc != 0) {
                    throw new IllegalStateException("mprotect of the counter page failed");
                }
                code = page;
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        return code;
    }

    MemorySegment userData() {
        return block;
    }

    /** Instructions started since the last {@link #reset()}; a faulting one is included. */
    public long executed() {
        return block.get(JAVA_LONG, 0);
    }

    /** Stop the engine before the instruction that would exceed {@code budget} executed. */
    public void setBudget(long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("negative instruction budget " + budget);
        }
        block.set(JAVA_LONG, 8, budget);
    }

    public long budget() {
        return block.get(JAVA_LONG, 8);
    }

    public void reset() {
        block.set(JAVA_LONG, 0, 0);
    }

    /** Take back one counted instruction (one that faulted and so did not retire). */
    public void uncount() {
        long executed = executed();
        if (executed > 0) {
            block.set(JAVA_LONG, 0, executed - 1);
        }
    }
}
