package dev.nmilab.unicorn;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Counts executed instructions in native code and stops the engine at a budget.
 *
 * <p>Unicorn's own {@code count} argument keeps its counter private, so a run that ends
 * early (hlt, a fault, a hook's stop) would not say how far it got; a Java upcall per
 * instruction costs ~40 ns. This hook is eleven bytes of machine code called by the
 * engine before every instruction: it increments a counter unless the budget is spent,
 * in which case it tail-calls uc_emu_stop so the instruction does not execute.
 *
 * <pre>
 *   mov  (%rcx),%rax        ; rcx = user_data = this counter's block
 *   cmp  8(%rcx),%rax       ; executed &gt;= budget ?
 *   jae  1f
 *   inc  %rax
 *   mov  %rax,(%rcx)
 *   ret
 * 1:jmp  *16(%rcx)          ; uc_emu_stop(uc): rdi still holds uc
 * </pre>
 */
public final class InstructionCounter {
    private static final byte[] CODE = {
        0x48, (byte) 0x8b, 0x01,
        0x48, 0x3b, 0x41, 0x08,
        0x73, 0x07,
        0x48, (byte) 0xff, (byte) 0xc0,
        0x48, (byte) 0x89, 0x01,
        (byte) 0xc3,
        (byte) 0xff, 0x61, 0x10,
    };

    private static MemorySegment code;

    private final MemorySegment block;

    InstructionCounter(Arena arena) {
        block = arena.allocate(24, 8);
        block.set(JAVA_LONG, 0, 0);
        block.set(JAVA_LONG, 8, Long.MAX_VALUE);
        block.set(java.lang.foreign.ValueLayout.ADDRESS, 16, Native.UC_EMU_STOP_ADDRESS);
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
