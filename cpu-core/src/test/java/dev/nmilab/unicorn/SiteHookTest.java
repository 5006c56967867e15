package dev.nmilab.unicorn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Site hooks are filtered in the native counter hook by a 64 Kbit hashed bitmap, then by exact
 * address in Java: a site fires at its own address only, after the instruction is counted.
 */
class SiteHookTest {
    private static final long CODE = 0x1000;
    /** Same hash as CODE: (a ^ a >>> 20) & 0xffff are both 0x1000. */
    private static final long SAME_HASH_AS_CODE = 0x11000;

    private Unicorn uc;

    @BeforeEach
    void open() {
        uc = Unicorn.openX86_64();
        uc.memMap(CODE, 0x1000, Protection.ALL);
        uc.memWrite(CODE, new byte[] {(byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0xf4}); // nop x3; hlt
    }

    @AfterEach
    void close() {
        uc.close();
    }

    private long runFromStart() {
        uc.counter().reset();
        assertEquals(EmuStatus.OK, uc.emuStart(CODE));
        return uc.counter().executed();
    }

    @Test
    void siteFiresAtItsAddressAfterTheInstructionIsCounted() {
        List<Long> countsSeen = new ArrayList<>();
        uc.addSiteHook(CODE + 2, (address, size) -> countsSeen.add(uc.counter().executed()));
        assertEquals(4, runFromStart());
        assertEquals(List.of(3L), countsSeen, "the third instruction, counted before the hook runs");
    }

    @Test
    void aSiteWhoseHashCollidesWithExecutedCodeDoesNotFireThere() {
        List<Long> fired = new ArrayList<>();
        uc.addSiteHook(SAME_HASH_AS_CODE, (address, size) -> fired.add(address));
        assertEquals(4, runFromStart(), "a false hit in the bitmap costs an upcall, nothing else");
        assertEquals(List.of(), fired);
    }

    @Test
    void aSiteMayRemoveItselfAndClosingTwiceIsHarmless() {
        int[] calls = {0};
        SiteHook[] self = new SiteHook[1];
        self[0] = uc.addSiteHook(CODE + 1, (address, size) -> {
            calls[0]++;
            self[0].close();
        });
        runFromStart();
        runFromStart();
        assertEquals(1, calls[0]);
        assertDoesNotThrow(self[0]::close);
    }

    @Test
    void twoSitesAtOneAddressBothFireAndRemovingOneKeepsTheOther() {
        List<String> fired = new ArrayList<>();
        SiteHook first = uc.addSiteHook(CODE, (a, s) -> fired.add("first"));
        uc.addSiteHook(CODE, (a, s) -> fired.add("second"));
        runFromStart();
        assertEquals(List.of("first", "second"), fired);
        first.close();
        fired.clear();
        runFromStart();
        assertEquals(List.of("second"), fired);
    }

    @Test
    void aThrowingSiteHookSurfacesAsHookFailedExceptionAndTheEngineStaysUsable() {
        SiteHook site = uc.addSiteHook(CODE + 1, (a, s) -> {
            throw new IllegalStateException("site bug");
        });
        HookFailedException e = assertThrows(HookFailedException.class, () -> uc.emuStart(CODE));
        assertEquals("site bug", e.getMessage());
        site.close();
        assertEquals(4, runFromStart());
    }

    @Test
    void aNullSiteHookIsAJavaExceptionAtRunTimeNotACrash() {
        uc.addSiteHook(CODE, null);
        HookFailedException e = assertThrows(HookFailedException.class, () -> uc.emuStart(CODE));
        assertEquals(NullPointerException.class, e.getCause().getClass());
    }

    @Test
    void anUncountedEngineRunsButRefusesSiteHooksAndCountsNothing() {
        try (Unicorn uncounted = Unicorn.openUncounted()) {
            uncounted.memMap(CODE, 0x1000, Protection.ALL);
            uncounted.memWrite(CODE, new byte[] {(byte) 0x90, (byte) 0xf4});
            assertThrows(IllegalStateException.class, () -> uncounted.addSiteHook(CODE, (a, s) -> { }));
            assertEquals(EmuStatus.OK, uncounted.emuStart(CODE));
            assertEquals(CODE + 2, uncounted.regRead(X86Reg.RIP));
            assertEquals(0, uncounted.counter().executed());
        }
    }

    @Test
    void emuStartWithUnicornsOwnCountRejectsNegativeCounts() {
        assertThrows(IllegalArgumentException.class, () -> uc.emuStart(CODE, -1));
        assertEquals(4, runFromStart());
    }

    @Test
    void siteCallsAfterCloseAreRefusedOrHarmless() {
        SiteHook site = uc.addSiteHook(CODE, (a, s) -> { });
        uc.close();
        assertThrows(IllegalStateException.class, () -> uc.addSiteHook(CODE, (a, s) -> { }));
        assertThrows(IllegalStateException.class, () -> uc.emuStart(CODE, 1));
        assertDoesNotThrow(site::close);
    }
}
