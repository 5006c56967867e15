package dev.nmilab.unicorn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * How many instructions a counted engine has executed, and the budget at which it stops: the
 * state of nmilab's native hooks, in one block of native memory they share with Java.
 *
 * <p>Unicorn's own {@code count} keeps its counter private, so a run that ends early (hlt, a
 * fault, a hook's stop) would not say how far it got; a Java upcall per instruction costs
 * ~40 ns; and every extra code hook is checked on every instruction once one hook covers all
 * code (measured: ten single-address hooks cut the speed 2.7x). So the hooks are a few bytes of
 * machine code each (see {@link CountingMode}):
 *
 * <p>The <b>instruction hook</b> runs before every instruction: it increments the counter unless
 * the budget is spent (then it tail-calls uc_emu_stop, so the instruction does not execute),
 * and tests the address against a 64 Kbit hashed bitmap of sites, tail-calling the Java
 * dispatcher on a hit (a false hit only costs an upcall: Java checks the exact address).
 *
 * <pre>
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
 *
 * <p>The <b>block hook</b> runs when a translation block starts (rdx = its size in bytes): a
 * block starting at a site goes to Java; otherwise the block's instruction count comes from a
 * direct-mapped table Java fills (a miss goes to Java, which decodes the block). A block that
 * would take the counter past the budget stops the engine before it runs (uc_emu_stop from a
 * block hook: measured); else the whole block is counted at once, and where it started and
 * what the counter read before it are kept, so Java can tell the exact count at any
 * instruction inside it.
 *
 * <pre>
 *   mov  %rsi,%rax ; shr $20,%rax ; xor %rsi,%rax ; and $0xffff,%eax
 *   bt   %rax,64(%rcx)
 *   jb   entry                ; a site may start here: Java
 *   mov  %rsi,%rax ; shr $12,%rax ; xor %rsi,%rax ; and $0xfff,%eax ; shl $4,%eax
 *   lea  8320(%rcx,%rax),%r8  ; table entry: address, size, instructions
 *   cmp  (%r8),%rsi ; jne miss
 *   cmp  8(%r8),%edx ; jne miss
 *   mov  12(%r8),%r9d
 *   mov  (%rcx),%rax
 *   lea  (%rax,%r9),%r10      ; executed + instructions of the block
 *   mov  %rax,48(%rcx)        ; block base
 *   mov  %rsi,56(%rcx)        ; block address
 *   mov  %edx,8256(%rcx)      ; block size
 *   cmp  8(%rcx),%r10 ; ja stop
 *   mov  %r10,(%rcx)
 *   ret
 * stop:  movl $1,8264(%rcx) ; jmp *16(%rcx)   ; "stopped before this block for the budget"
 * miss:  jmp *32(%rcx)
 * entry: jmp *40(%rcx)
 * </pre>
 */
public final class InstructionCounter {
    private static final byte[] INSTRUCTION_HOOK = {
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
    private static final byte[] BLOCK_HOOK = {
        0x48, (byte) 0x89, (byte) 0xf0, 0x48, (byte) 0xc1, (byte) 0xe8, 0x14, 0x48, 0x31, (byte) 0xf0, 0x25,
        (byte) 0xff, (byte) 0xff, 0x00, 0x00, 0x48, 0x0f, (byte) 0xa3, 0x41, 0x40, 0x72, 0x58, 0x48, (byte) 0x89,
        (byte) 0xf0, 0x48, (byte) 0xc1, (byte) 0xe8, 0x0c, 0x48, 0x31, (byte) 0xf0, 0x25, (byte) 0xff, 0x0f, 0x00,
        0x00, (byte) 0xc1, (byte) 0xe0, 0x04, 0x4c, (byte) 0x8d, (byte) 0x84, 0x01, (byte) 0x80, 0x20, 0x00, 0x00,
        0x49, 0x3b, 0x30, 0x75, 0x36, 0x41, 0x3b, 0x50, 0x08, 0x75, 0x30, 0x45, (byte) 0x8b, 0x48, 0x0c, 0x48,
        (byte) 0x8b, 0x01, 0x4e, (byte) 0x8d, 0x14, 0x08, 0x48, (byte) 0x89, 0x41, 0x30, 0x48, (byte) 0x89, 0x71,
        0x38, (byte) 0x89, (byte) 0x91, 0x40, 0x20, 0x00, 0x00, 0x4c, 0x3b, 0x51, 0x08, 0x77, 0x04, 0x4c,
        (byte) 0x89, 0x11, (byte) 0xc3, (byte) 0xc7, (byte) 0x81, 0x48, 0x20, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        (byte) 0xff, 0x61, 0x10, (byte) 0xff, 0x61, 0x20, (byte) 0xff, 0x61, 0x28,
    };

    // the shared block (offsets are baked into the machine code above)
    private static final long EXECUTED = 0;
    private static final long BUDGET = 8;
    private static final long EMU_STOP = 16;
    private static final long SITE_DISPATCHER = 24;
    private static final long MISS_DISPATCHER = 32;
    private static final long ENTRY_DISPATCHER = 40;
    private static final long BLOCK_BASE = 48;
    private static final long BLOCK_ADDRESS = 56;
    private static final long BITMAP = 64;
    private static final long BITMAP_BYTES = 65536 / 8;
    private static final long BLOCK_SIZE = 8256;
    private static final long STOP_REASON = 8264;
    private static final long TABLE = 8320;
    private static final int TABLE_ENTRIES = 4096;
    private static final long ENTRY_BYTES = 16;

    /** The block hook stopped the engine before a block the budget had no room for. */
    static final int STOPPED_FOR_BUDGET = 1;

    private static MemorySegment instructionHook;
    private static MemorySegment blockHook;

    private final MemorySegment block;
    private long exactBudget = Long.MAX_VALUE;
    private boolean endedShort;
    // an exact count Java learnt inside the current block (at a port I/O instruction), valid
    // while the block is still the current one and nothing was counted since
    private long markedCount = -1;
    private long markedBase;
    private long markedExecuted;

    InstructionCounter(Arena arena, MemorySegment siteDispatcher, MemorySegment missDispatcher,
            MemorySegment entryDispatcher) {
        block = arena.allocate(TABLE + TABLE_ENTRIES * ENTRY_BYTES, 64);
        block.fill((byte) 0);
        block.set(JAVA_LONG, BUDGET, Long.MAX_VALUE);
        block.set(ADDRESS, EMU_STOP, Native.UC_EMU_STOP_ADDRESS);
        block.set(ADDRESS, SITE_DISPATCHER, siteDispatcher);
        block.set(ADDRESS, MISS_DISPATCHER, missDispatcher);
        block.set(ADDRESS, ENTRY_DISPATCHER, entryDispatcher);
        for (int i = 0; i < TABLE_ENTRIES; i++) {
            block.set(JAVA_LONG, TABLE + i * ENTRY_BYTES, -1L); // no block starts at a non-canonical address
        }
    }

    static synchronized MemorySegment instructionHook() {
        if (instructionHook == null) {
            instructionHook = NativeCode.executable(INSTRUCTION_HOOK);
        }
        return instructionHook;
    }

    static synchronized MemorySegment blockHook() {
        if (blockHook == null) {
            blockHook = NativeCode.executable(BLOCK_HOOK);
        }
        return blockHook;
    }

    static int siteHash(long address) {
        return (int) ((address ^ (address >>> 20)) & 0xffff);
    }

    private static long tableEntry(long address) {
        return TABLE + ((address ^ (address >>> 12)) & (TABLE_ENTRIES - 1)) * ENTRY_BYTES;
    }

    /** Set the site bitmap to exactly {@code sites}. */
    void setSites(java.util.Collection<Long> sites) {
        block.asSlice(BITMAP, BITMAP_BYTES).fill((byte) 0);
        for (long site : sites) {
            int bit = siteHash(site);
            long at = BITMAP + bit / 8;
            byte old = block.get(JAVA_BYTE, at);
            block.set(JAVA_BYTE, at, (byte) (old | (1 << (bit % 8))));
        }
    }

    MemorySegment userData() {
        return block;
    }

    // ---- what everyone sees ----

    /**
     * Instructions started since the last {@link #reset()}; a faulting one is included. Inside a
     * hook of a block-counted engine this is the exact count at the instruction the hook is for
     * wherever nmilab knows it (sites, port I/O, faults); elsewhere in a block (an MMIO access)
     * it counts the whole block.
     */
    public long executed() {
        long executed = rawExecuted();
        if (markedCount >= 0 && executed == markedExecuted && blockBase() == markedBase) {
            return markedCount;
        }
        return executed;
    }

    /** Stop the engine before the instruction that would exceed {@code budget} executed. */
    public void setBudget(long budget) {
        checkBudget(budget);
        block.set(JAVA_LONG, BUDGET, budget);
        exactBudget = budget;
    }

    /**
     * A budget the run may fall short of, stopping at the last translation block that fits (a
     * window end): it then says so in {@link #endedShort()}. An engine counting instructions
     * one by one always reaches it exactly.
     */
    public void setSoftBudget(long budget) {
        checkBudget(budget);
        block.set(JAVA_LONG, BUDGET, budget);
        exactBudget = Long.MAX_VALUE;
    }

    private static void checkBudget(long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("negative instruction budget " + budget);
        }
    }

    public long budget() {
        return block.get(JAVA_LONG, BUDGET);
    }

    /** Whether the last run stopped short of a soft budget, at a block boundary. */
    public boolean endedShort() {
        return endedShort;
    }

    public void reset() {
        block.set(JAVA_LONG, EXECUTED, 0);
        block.set(JAVA_LONG, BLOCK_BASE, 0);
        block.set(JAVA_LONG, BLOCK_ADDRESS, -1L);
        block.set(JAVA_INT, BLOCK_SIZE, 0);
        markedCount = -1;
    }

    /** Take back one counted instruction (one that faulted and so did not retire). */
    public void uncount() {
        long executed = executed();
        if (executed > 0) {
            setExecuted(executed - 1);
        }
    }

    // ---- for the engine ----

    long rawExecuted() {
        return block.get(JAVA_LONG, EXECUTED);
    }

    void setExecuted(long executed) {
        block.set(JAVA_LONG, EXECUTED, executed);
        markedCount = -1;
    }

    boolean budgetIsExact() {
        return exactBudget == budget();
    }

    void setEndedShort(boolean value) {
        endedShort = value;
    }

    long blockBase() {
        return block.get(JAVA_LONG, BLOCK_BASE);
    }

    long blockAddress() {
        return block.get(JAVA_LONG, BLOCK_ADDRESS);
    }

    int blockSize() {
        return block.get(JAVA_INT, BLOCK_SIZE);
    }

    /** Make {@code address}/{@code size} the current block, counted from {@code base}. */
    void enterBlock(long address, int size, long base) {
        block.set(JAVA_LONG, BLOCK_BASE, base);
        block.set(JAVA_LONG, BLOCK_ADDRESS, address);
        block.set(JAVA_INT, BLOCK_SIZE, size);
    }

    int stopReason() {
        return block.get(JAVA_INT, STOP_REASON);
    }

    void setStopReason(int reason) {
        block.set(JAVA_INT, STOP_REASON, reason);
    }

    /** Say that the count is {@code count} at the current instruction, until the block changes. */
    void mark(long count) {
        markedCount = count;
        markedBase = blockBase();
        markedExecuted = rawExecuted();
    }

    void clearMark() {
        markedCount = -1;
    }

    /** Put a block's instruction count in the native table (direct-mapped: a collision evicts). */
    void remember(long address, int size, int instructions) {
        long entry = tableEntry(address);
        block.set(JAVA_LONG, entry, address);
        block.set(JAVA_INT, entry + 8, size);
        block.set(JAVA_INT, entry + 12, instructions);
    }

    /** Drop table entries of blocks overlapping [begin, end) (unsigned, end exclusive). */
    void forget(long begin, long end) {
        for (int i = 0; i < TABLE_ENTRIES; i++) {
            long entry = TABLE + i * ENTRY_BYTES;
            long address = block.get(JAVA_LONG, entry);
            if (address == -1L) {
                continue;
            }
            long blockEnd = address + Integer.toUnsignedLong(block.get(JAVA_INT, entry + 8));
            if (Long.compareUnsigned(address, end) < 0 && Long.compareUnsigned(begin, blockEnd) < 0) {
                block.set(JAVA_LONG, entry, -1L);
            }
        }
    }
}
