package dev.nmilab.unicorn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RIP, RSP and RFLAGS kept in Java between runs: what the engine sees and what a reader sees stay the same. */
class RegisterCacheTest {
    private static final long CODE = 0x1000;
    private static final long STACK = 0x3000;
    private Unicorn uc;

    @BeforeEach
    void open() {
        uc = Unicorn.openX86_64();
        uc.memMap(CODE, 0x1000, Protection.ALL);
        uc.memMap(STACK - 0x1000, 0x1000, Protection.ALL);
        // push rax; pushfq; mov rbx, rsp; hlt
        uc.memWrite(CODE, new byte[] {0x50, (byte) 0x9c, 0x48, (byte) 0x89, (byte) 0xe3, (byte) 0xf4});
    }

    @AfterEach
    void close() {
        uc.close();
    }

    @Test
    void writesBeforeARunReachTheEngineAndItsChangesReachTheReader() {
        uc.regWrite(X86Reg.RSP, 0x1234); // overwritten before the run: only the last write counts
        uc.regWrite(X86Reg.RSP, STACK);
        uc.regWrite(X86Reg.RIP, 0x1f00);
        uc.regWrite(X86Reg.RIP, CODE);
        uc.regWrite(X86Reg.RAX, 0x55);
        assertEquals(CODE, uc.regRead(X86Reg.RIP));

        uc.emuStart(CODE);

        assertEquals(STACK - 16, uc.regRead(X86Reg.RSP), "two pushes from the RSP written before the run");
        assertEquals(STACK - 16, uc.regRead(X86Reg.RBX), "the engine itself used that RSP");
        assertEquals(0x55, uc.memRead(STACK - 8, 8)[0]);
        assertEquals(CODE + 6, uc.regRead(X86Reg.RIP), "where hlt left it");
    }

    @Test
    void aSavedContextHoldsThePendingWritesAndARestoreReplacesThem() {
        uc.regWrite(X86Reg.RIP, CODE);
        uc.regWrite(X86Reg.RSP, STACK);
        UnicornContext saved = uc.saveContext();
        uc.regWrite(X86Reg.RIP, 0x1800);
        uc.regWrite(X86Reg.RSP, 0x2800);

        uc.restoreContext(saved);

        assertEquals(CODE, uc.regRead(X86Reg.RIP));
        assertEquals(STACK, uc.regRead(X86Reg.RSP));
        uc.emuStart(uc.regRead(X86Reg.RIP));
        assertEquals(STACK - 16, uc.regRead(X86Reg.RBX), "the restored RSP, not the discarded write");
        saved.close();
    }

    @Test
    void rflagsReadsBackAsTheEngineKeepsIt() {
        uc.regWrite(X86Reg.RFLAGS, 0);
        long flags = uc.regRead(X86Reg.RFLAGS);
        assertEquals(flags, uc.regRead(X86Reg.RFLAGS), "a second read agrees with the first");
        uc.regWrite(X86Reg.RFLAGS, 0x202);
        assertEquals(0x202, uc.regRead(X86Reg.RFLAGS));
    }
}
