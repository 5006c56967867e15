package dev.nmilab.unicorn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every public entry point of the binding turns bad input into a Java exception before it can
 * reach native code (where it would crash the JVM), and leaves the engine usable afterwards.
 */
class UnicornArgumentsTest {
    private static final long CODE = 0x1000;
    private static final long PAGE = 0x1000;
    /** nop; nop; nop; hlt */
    private static final byte[] NOPS_HLT = {(byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0xf4};

    private Unicorn uc;

    @BeforeEach
    void open() {
        uc = Unicorn.openX86_64();
        uc.memMap(CODE, PAGE, Protection.ALL);
        uc.memWrite(CODE, NOPS_HLT);
    }

    @AfterEach
    void close() {
        uc.close();
    }

    /** Runs the four-instruction program from the start; proves the engine still works. */
    private void assertStillRuns() {
        uc.counter().reset();
        assertEquals(EmuStatus.OK, uc.emuStart(CODE));
        assertEquals(4, uc.counter().executed());
        assertEquals(CODE + 4, uc.regRead(X86Reg.RIP));
    }

    @Test
    void versionIsTheDebianLibrary() {
        assertTrue(Unicorn.version().startsWith("2."), Unicorn.version());
    }

    @Test
    void memMapRejectsUnalignedZeroNegativeWrappingAndBadProtection() {
        assertThrows(IllegalArgumentException.class, () -> uc.memMap(0x2001, PAGE, Protection.ALL));
        assertThrows(IllegalArgumentException.class, () -> uc.memMap(0x2000, 0x800, Protection.ALL));
        assertThrows(IllegalArgumentException.class, () -> uc.memMap(0x2000, 0, Protection.ALL));
        assertThrows(IllegalArgumentException.class, () -> uc.memMap(0x2000, -PAGE, Protection.ALL));
        assertThrows(IllegalArgumentException.class, () -> uc.memMap(0xffff_ffff_ffff_f000L, 2 * PAGE, Protection.ALL));
        assertThrows(IllegalArgumentException.class, () -> uc.memMap(0x2000, PAGE, 8));
        assertThrows(IllegalArgumentException.class, () -> uc.memMap(0x2000, PAGE, -1));
        assertStillRuns();
    }

    @Test
    void memMapOfAnOverlappingRangeIsAUnicornException() {
        UnicornException e = assertThrows(UnicornException.class, () -> uc.memMap(CODE, PAGE, Protection.ALL));
        assertEquals("uc_mem_map", e.call());
        assertTrue(e.getMessage().contains("0x1000"), e.getMessage());
        assertStillRuns();
    }

    @Test
    void memMapPtrRejectsHeapNullUnalignedAndOddSizedHostMemory() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pages = arena.allocate(3 * PAGE, PAGE);
            assertThrows(IllegalArgumentException.class,
                    () -> uc.memMapPtr(0x10000, MemorySegment.ofArray(new byte[(int) PAGE]), Protection.ALL));
            assertThrows(NullPointerException.class, () -> uc.memMapPtr(0x10000, null, Protection.ALL));
            assertThrows(IllegalArgumentException.class,
                    () -> uc.memMapPtr(0x10000, pages.asSlice(16, PAGE), Protection.ALL), "host not page aligned");
            assertThrows(IllegalArgumentException.class,
                    () -> uc.memMapPtr(0x10000, pages.asSlice(0, 100), Protection.ALL), "size not whole pages");
            assertThrows(IllegalArgumentException.class,
                    () -> uc.memMapPtr(0x10001, pages.asSlice(0, PAGE), Protection.ALL));
            assertThrows(UnicornException.class, () -> uc.memMapPtr(CODE, pages.asSlice(0, PAGE), Protection.ALL),
                    "overlaps the code page");
            assertStillRuns();
            uc.close(); // before the arena frees the host pages
        }
    }

    @Test
    void mmioMapRejectsUnalignedRangesAndAThrowingCallbackStopsTheRun() {
        assertThrows(IllegalArgumentException.class, () -> uc.mmioMap(0x4001, PAGE, (o, s) -> 0, (o, s, v) -> { }));
        uc.mmioMap(0x4000, PAGE, (offset, size) -> {
            throw new IllegalStateException("device fell over");
        }, null);
        // mov 0x4000, %eax ; hlt
        uc.memWrite(0x1800, new byte[] {(byte) 0x8b, 0x04, 0x25, 0x00, 0x40, 0x00, 0x00, (byte) 0xf4});
        HookFailedException read = assertThrows(HookFailedException.class, () -> uc.emuStart(0x1800));
        assertEquals("device fell over", read.getCause().getMessage());
        // mov %eax, 0x4000 ; hlt -- the write callback is null: a NullPointerException, caught the same way
        uc.memWrite(0x1800, new byte[] {(byte) 0x89, 0x04, 0x25, 0x00, 0x40, 0x00, 0x00, (byte) 0xf4});
        uc.flushTranslations(0x1800, 0x1807);
        HookFailedException write = assertThrows(HookFailedException.class, () -> uc.emuStart(0x1800));
        assertInstanceOf(NullPointerException.class, write.getCause());
        assertStillRuns();
    }

    @Test
    void memUnmapAndMemProtectRejectBadRangesAndUnmappedMemory() {
        assertThrows(IllegalArgumentException.class, () -> uc.memUnmap(CODE + 1, PAGE));
        assertThrows(IllegalArgumentException.class, () -> uc.memUnmap(CODE, 0));
        assertThrows(IllegalArgumentException.class, () -> uc.memProtect(CODE, PAGE, 16));
        assertThrows(IllegalArgumentException.class, () -> uc.memProtect(0xffff_ffff_ffff_f000L, 2 * PAGE, 1));
        assertEquals("uc_mem_unmap", assertThrows(UnicornException.class, () -> uc.memUnmap(0x9000, PAGE)).call());
        assertEquals("uc_mem_protect",
                assertThrows(UnicornException.class, () -> uc.memProtect(0x9000, PAGE, Protection.READ)).call());
        assertStillRuns();
    }

    @Test
    void memReadAndMemWriteRejectNullOversizedNegativeAndWrappingArguments() {
        byte[] four = new byte[4];
        List<Executable> bad = List.of(
                () -> uc.memRead(CODE, null, 0, 4),
                () -> uc.memRead(CODE, four, 2, 4),
                () -> uc.memRead(CODE, four, -1, 2),
                () -> uc.memRead(CODE, four, 0, -1),
                () -> uc.memRead(CODE, -1),
                () -> uc.memRead(0xffff_ffff_ffff_fff0L, 32),
                () -> uc.memWrite(CODE, null),
                () -> uc.memWrite(CODE, null, 0, 1),
                () -> uc.memWrite(CODE, four, 1, 4),
                () -> uc.memWrite(CODE, four, 0, -4),
                () -> uc.memWrite(0xffff_ffff_ffff_fffeL, four));
        for (Executable call : bad) {
            RuntimeException e = assertThrows(RuntimeException.class, call);
            assertTrue(e instanceof NullPointerException || e instanceof IndexOutOfBoundsException
                    || e instanceof IllegalArgumentException || e instanceof NegativeArraySizeException, e.toString());
        }
        assertEquals(0, uc.memRead(CODE, 0).length, "an empty read is fine");
        assertStillRuns();
    }

    @Test
    void readingOrWritingUnmappedMemoryNamesTheCallAndTheAddress() {
        UnicornException read = assertThrows(UnicornException.class, () -> uc.memRead(0x5000, 8));
        assertEquals("uc_mem_read", read.call());
        assertEquals(UnicornException.UC_ERR_READ_UNMAPPED, read.errorCode());
        assertTrue(read.getMessage().startsWith("uc_mem_read at 0x5000"), read.getMessage());

        UnicornException partly = assertThrows(UnicornException.class, () -> uc.memRead(CODE + PAGE - 4, 8));
        assertTrue(partly.getMessage().contains("0x1ffc"), "a read running off the end: " + partly.getMessage());

        UnicornException write = assertThrows(UnicornException.class, () -> uc.memWrite(0x9000, new byte[4]));
        assertEquals("uc_mem_write", write.call());
        assertEquals(UnicornException.UC_ERR_WRITE_UNMAPPED, write.errorCode());
        assertTrue(write.getMessage().contains("0x9000"), write.getMessage());
        assertStillRuns();
    }

    @Test
    void registerTableAndMsrCallsRejectNullsAndSurviveUnknownMsrs() {
        assertThrows(NullPointerException.class, () -> uc.regRead(null));
        assertThrows(NullPointerException.class, () -> uc.regWrite(null, 1));
        assertThrows(NullPointerException.class, () -> uc.readTable(null));
        assertThrows(NullPointerException.class, () -> uc.writeTable(X86Reg.Table.GDTR, null));
        assertThrows(NullPointerException.class, () -> uc.writeTable(null, new TableRegister(0, 0, 0, 0)));
        // an MSR the engine does not model reads as 0 and ignores writes (QEMU's helper_rdmsr default)
        assertEquals(0, uc.readMsr(0xdeadbeef));
        assertDoesNotThrow(() -> uc.writeMsr(0xdeadbeef, 5));
        assertEquals(0x100010aL, uc.readMsr(0x179), "MCG_CAP as Unicorn models it");
        assertStillRuns();
    }

    @Test
    void flushAndHookRangesMustNotBeInverted() {
        assertThrows(IllegalArgumentException.class, () -> uc.flushTranslations(0x2000, 0x1000));
        assertThrows(IllegalArgumentException.class, () -> uc.addCodeHook(0x2000, 0x1000, (a, s) -> { }));
        // the whole address space; on Unicorn 2.0.1 an engine's first whole-cache flush takes ~2.5 s
        // and makes its 1 GiB translation buffer resident, so it is done once here and nowhere else
        assertDoesNotThrow(() -> uc.flushTranslations(0, -1L));
        assertThrows(IllegalArgumentException.class, () -> uc.counter().setBudget(-1));
        assertStillRuns();
    }

    @Test
    void emuStartAtUnmappedMemoryReturnsAStatusInsteadOfThrowing() {
        assertEquals(EmuStatus.FETCH_UNMAPPED, uc.emuStart(0x8000));
        assertStillRuns();
    }

    @Test
    void aThrowingHookSurfacesAsHookFailedExceptionAndTheEngineStaysUsable() {
        HookHandle hook = uc.addCodeHook(CODE + 1, CODE + 1, (address, size) -> {
            throw new IllegalStateException("hook bug");
        });
        HookFailedException e = assertThrows(HookFailedException.class, () -> uc.emuStart(CODE));
        assertEquals("hook bug", e.getMessage());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(CODE + 1, e.guestRip(), "the instruction whose hook threw");
        hook.close();
        assertStillRuns();
    }

    @Test
    void throwingInterruptAndInvalidInstructionHooksAreCaughtToo() {
        List<Consumer<Unicorn>> installers = List.of(
                engine -> engine.addInterruptHook(vector -> {
                    throw new IllegalStateException("interrupt hook bug");
                }),
                engine -> engine.addInvalidInstructionHook(() -> {
                    throw new IllegalStateException("invalid hook bug");
                }));
        byte[][] programs = {{(byte) 0xcc, (byte) 0xf4}, {0x0f, 0x0b, (byte) 0xf4}}; // int3; ud2
        for (int i = 0; i < programs.length; i++) {
            try (Unicorn engine = Unicorn.openX86_64()) {
                engine.memMap(CODE, PAGE, Protection.ALL);
                engine.memWrite(CODE, programs[i]);
                installers.get(i).accept(engine);
                HookFailedException e = assertThrows(HookFailedException.class, () -> engine.emuStart(CODE));
                assertTrue(e.getMessage().endsWith("hook bug"), e.getMessage());
            }
        }
    }

    @Test
    void emuStartAndCloseFromInsideAHookAreRefused() {
        HookHandle nested = uc.addCodeHook(CODE, CODE, (a, s) -> uc.emuStart(CODE));
        HookFailedException e = assertThrows(HookFailedException.class, () -> uc.emuStart(CODE));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        nested.close();
        HookHandle closing = uc.addCodeHook(CODE, CODE, (a, s) -> uc.close());
        e = assertThrows(HookFailedException.class, () -> uc.emuStart(CODE));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        closing.close();
        assertTrue(!uc.isClosed());
        assertStillRuns();
    }

    @Test
    void removingAHookTwiceIsHarmlessAndARemovedHookIsNotCalled() {
        List<Long> seen = new ArrayList<>();
        HookHandle hook = uc.addCodeHook(CODE, CODE + 3, (address, size) -> seen.add(address));
        assertStillRuns();
        assertEquals(List.of(CODE, CODE + 1, CODE + 2, CODE + 3), seen);
        hook.close();
        assertDoesNotThrow(hook::close);
        seen.clear();
        assertStillRuns();
        assertEquals(List.of(), seen);
    }

    @Test
    void aHookMayRemoveItselfWhileTheEngineRuns() {
        HookHandle[] self = new HookHandle[1];
        int[] calls = {0};
        self[0] = uc.addCodeHook(CODE, CODE + 3, (address, size) -> {
            calls[0]++;
            self[0].close();
        });
        assertStillRuns();
        assertStillRuns();
        assertEquals(1, calls[0]);
    }

    @Test
    void contextsAreCheckedForOwnerAndLifetime() {
        uc.regWrite(X86Reg.RBX, 42);
        try (Unicorn other = Unicorn.openX86_64()) {
            UnicornContext context = uc.saveContext();
            assertThrows(IllegalArgumentException.class, () -> other.restoreContext(context));
            uc.regWrite(X86Reg.RBX, 7);
            uc.restoreContext(context);
            assertEquals(42, uc.regRead(X86Reg.RBX));
            context.close();
            assertDoesNotThrow(context::close, "double free is refused quietly");
            assertThrows(IllegalStateException.class, () -> uc.restoreContext(context));
            assertThrows(NullPointerException.class, () -> uc.restoreContext(null));
        }
        assertStillRuns();
    }

    @Test
    void everyCallAfterCloseIsAnIllegalStateExceptionAndCloseIsIdempotent() {
        UnicornContext context = uc.saveContext();
        HookHandle hook = uc.addCodeHook(CODE, CODE, (a, s) -> { });
        uc.close();
        assertDoesNotThrow(uc::close);
        assertTrue(uc.isClosed());
        List<Executable> calls = List.of(
                () -> uc.counter(),
                () -> uc.memMap(0x2000, PAGE, Protection.ALL),
                () -> uc.memUnmap(CODE, PAGE),
                () -> uc.memProtect(CODE, PAGE, Protection.READ),
                () -> uc.mmioMap(0x4000, PAGE, (o, s) -> 0, (o, s, v) -> { }),
                () -> uc.memRead(CODE, 4),
                () -> uc.memWrite(CODE, NOPS_HLT),
                () -> uc.regRead(X86Reg.RIP),
                () -> uc.regWrite(X86Reg.RIP, CODE),
                () -> uc.readTable(X86Reg.Table.IDTR),
                () -> uc.writeTable(X86Reg.Table.IDTR, new TableRegister(0, 0, 0xfff, 0)),
                () -> uc.readMsr(0x17a),
                () -> uc.writeMsr(0x17a, 0),
                () -> uc.emuStart(CODE),
                () -> uc.emuStop(),
                () -> uc.flushTranslations(CODE, CODE + 3),
                () -> uc.flushAllTranslations(),
                () -> uc.addCodeHook(CODE, CODE, (a, s) -> { }),
                () -> uc.addInterruptHook(v -> { }),
                () -> uc.addInvalidInstructionHook(() -> true),
                () -> uc.addMemoryFaultHook((access, address, size, value) -> false),
                () -> uc.addPortInHook((port, size) -> 0),
                () -> uc.addPortOutHook((port, size, value) -> { }),
                () -> uc.saveContext(),
                () -> uc.restoreContext(context));
        for (Executable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertEquals("engine is closed", e.getMessage());
        }
        assertDoesNotThrow(hook::close, "a hook of a closed engine closes quietly");
        assertDoesNotThrow(context::close, "a context outlives its engine safely");
    }
}
