package dev.nmilab.unicorn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Counting whole translation blocks gives the counts counting every instruction gives: at the
 * budget, at sites inside a block, at faults inside a block, in port I/O hooks; a soft budget
 * may stop one block early and says so; an engine moved to instruction counting goes on right.
 */
class BlockCountingTest {
    private static final long CODE = 0x1000;
    private static final long DATA = 0x3000;
    private static final byte NOP = (byte) 0x90;
    private static final byte HLT = (byte) 0xf4;

    private final List<Unicorn> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(Unicorn::close);
    }

    private Unicorn engine(CountingMode mode, byte[] program) {
        Unicorn uc = Unicorn.openX86_64(mode);
        engines.add(uc);
        uc.memMap(CODE, 0x2000, Protection.ALL);
        uc.memMap(DATA, 0x1000, Protection.READ | Protection.WRITE);
        uc.memWrite(CODE, program);
        uc.regWrite(X86Reg.RSP, DATA + 0x800);
        return uc;
    }

    /** dec %rcx; jnz back: a two-instruction block, run rcx times, then hlt. */
    private static byte[] countdownLoop() {
        return new byte[] {0x48, (byte) 0xff, (byte) 0xc9, 0x75, (byte) 0xfb, HLT};
    }

    private static long run(Unicorn uc, long budget, boolean soft) {
        InstructionCounter counter = uc.counter();
        counter.reset();
        if (soft) {
            counter.setSoftBudget(budget);
        } else {
            counter.setBudget(budget);
        }
        assertEquals(EmuStatus.OK, uc.emuStart(uc.regRead(X86Reg.RIP)));
        return counter.executed();
    }

    @Test
    void anExactBudgetInsideABlockStopsOnTheInstructionInBothModes() {
        for (long budget : new long[] {1, 2, 3, 999, 1000, 1001}) {
            long[] rcxSeen = new long[2];
            long[] ripSeen = new long[2];
            for (CountingMode mode : CountingMode.values()) {
                Unicorn uc = engine(mode, countdownLoop());
                uc.regWrite(X86Reg.RCX, 5000);
                uc.regWrite(X86Reg.RIP, CODE);
                assertEquals(budget, run(uc, budget, false), mode + " budget " + budget);
                rcxSeen[mode.ordinal()] = uc.regRead(X86Reg.RCX);
                ripSeen[mode.ordinal()] = uc.regRead(X86Reg.RIP);
                assertFalse(uc.counter().endedShort());
                // and the run goes on from there to the end, the loop's blocks whole again
                assertEquals(2 * 5000 + 1 - budget, run(uc, Long.MAX_VALUE, false), mode + " rest after " + budget);
                assertEquals(CODE + 6, uc.regRead(X86Reg.RIP));
            }
            assertEquals(rcxSeen[0], rcxSeen[1], "rcx after " + budget);
            assertEquals(ripSeen[0], ripSeen[1], "rip after " + budget);
        }
    }

    @Test
    void aSoftBudgetStopsAtTheLastBlockThatFitsAndSaysItEndedShort() {
        Unicorn uc = engine(CountingMode.BLOCKS, countdownLoop());
        uc.regWrite(X86Reg.RCX, 5000);
        uc.regWrite(X86Reg.RIP, CODE);
        assertEquals(1000, run(uc, 1001, true), "blocks of two: 500 of them fit in 1001");
        assertTrue(uc.counter().endedShort());
        assertEquals(CODE, uc.regRead(X86Reg.RIP), "stopped before the next block");
        assertEquals(1000, run(uc, 1000, true), "an exact fit is not short");
        assertFalse(uc.counter().endedShort());
    }

    @Test
    void aSoftBudgetIsExactWhenCountingInstructions() {
        Unicorn uc = engine(CountingMode.INSTRUCTIONS, countdownLoop());
        uc.regWrite(X86Reg.RCX, 5000);
        uc.regWrite(X86Reg.RIP, CODE);
        assertEquals(1001, run(uc, 1001, true));
        assertFalse(uc.counter().endedShort());
    }

    @ParameterizedTest
    @EnumSource(CountingMode.class)
    void aSiteInsideABlockSeesTheExactCountAndCanStopThere(CountingMode mode) {
        byte[] program = {NOP, NOP, NOP, NOP, NOP, NOP, HLT};
        Unicorn uc = engine(mode, program);
        List<Long> seen = new ArrayList<>();
        uc.addSiteHook(CODE + 3, (address, size) -> {
            seen.add(uc.counter().executed());
            uc.counter().setBudget(uc.counter().executed());
            uc.emuStop();
        });
        uc.regWrite(X86Reg.RIP, CODE);
        assertEquals(4, run(uc, Long.MAX_VALUE, false), "the site's instruction is counted, not run");
        assertEquals(List.of(4L), seen);
        assertEquals(CODE + 3, uc.regRead(X86Reg.RIP));
    }

    @ParameterizedTest
    @EnumSource(CountingMode.class)
    void aSiteAddedAfterItsBlockWasTranslatedStillFires(CountingMode mode) {
        byte[] program = {NOP, NOP, NOP, NOP, HLT};
        Unicorn uc = engine(mode, program);
        uc.regWrite(X86Reg.RIP, CODE);
        assertEquals(5, run(uc, Long.MAX_VALUE, false));
        List<Long> seen = new ArrayList<>();
        uc.addSiteHook(CODE + 2, (address, size) -> seen.add(uc.counter().executed()));
        uc.regWrite(X86Reg.RIP, CODE);
        assertEquals(5, run(uc, Long.MAX_VALUE, false));
        assertEquals(List.of(3L), seen);
    }

    @ParameterizedTest
    @EnumSource(CountingMode.class)
    void aFaultInsideABlockCountsUpToTheFaultingInstruction(CountingMode mode) {
        // nop; nop; mov 0x500000,%rax (unmapped); nop; hlt
        byte[] program = {NOP, NOP, 0x48, (byte) 0x8b, 0x04, 0x25, 0x00, 0x00, 0x50, 0x00, NOP, HLT};
        Unicorn uc = engine(mode, program);
        InstructionCounter counter = uc.counter();
        counter.reset();
        counter.setBudget(Long.MAX_VALUE);
        assertEquals(EmuStatus.READ_UNMAPPED, uc.emuStart(CODE));
        long[] candidates = uc.faultCandidates();
        if (mode == CountingMode.BLOCKS) {
            // Unicorn leaves RIP stale for a data fault inside a block: the caller picks the instruction
            assertArrayEquals(new long[] {CODE, CODE + 1, CODE + 2, CODE + 10, CODE + 11}, candidates);
            uc.faultedAt(CODE + 2);
        } else {
            assertArrayEquals(new long[0], candidates, "RIP is exact when every instruction is hooked");
        }
        assertEquals(3, counter.executed(), "two nops and the faulting mov");
        assertEquals(CODE + 2, uc.regRead(X86Reg.RIP));
    }

    @ParameterizedTest
    @EnumSource(CountingMode.class)
    void anExceptionHookInsideABlockSeesTheCountAtItsInstruction(CountingMode mode) {
        // nop; int3; nop; hlt  and  nop; nop; ud2; hlt
        Unicorn uc = engine(mode, new byte[] {NOP, (byte) 0xcc, NOP, HLT});
        List<Long> seen = new ArrayList<>();
        uc.addInterruptHook(vector -> {
            seen.add(uc.counter().executed());
            uc.emuStop();
        });
        uc.regWrite(X86Reg.RIP, CODE);
        run(uc, Long.MAX_VALUE, false);
        assertEquals(List.of(2L), seen, "int3 traps after it is counted");

        Unicorn other = engine(mode, new byte[] {NOP, NOP, 0x0f, 0x0b, HLT});
        List<Long> atUd2 = new ArrayList<>();
        other.addInvalidInstructionHook(() -> {
            atUd2.add(other.counter().executed());
            return false;
        });
        other.counter().reset();
        other.counter().setBudget(Long.MAX_VALUE);
        assertEquals(EmuStatus.INSN_INVALID, other.emuStart(CODE));
        assertEquals(List.of(3L), atUd2, "the ud2 started");
    }

    @ParameterizedTest
    @EnumSource(CountingMode.class)
    void aPortHookSeesItsOwnInstructionsCountAndRip(CountingMode mode) {
        // nop; nop; in $0x61,%al; nop; out %al,$0x80; nop; hlt
        byte[] program = {NOP, NOP, (byte) 0xe4, 0x61, NOP, (byte) 0xe6, (byte) 0x80, NOP, HLT};
        Unicorn uc = engine(mode, program);
        List<long[]> seen = new ArrayList<>();
        uc.addPortInHook((port, size) -> {
            seen.add(new long[] {port, uc.counter().executed(), uc.regRead(X86Reg.RIP)});
            return 0x5a;
        });
        uc.addPortOutHook((port, size, value) ->
                seen.add(new long[] {port, uc.counter().executed(), uc.regRead(X86Reg.RIP)}));
        uc.regWrite(X86Reg.RIP, CODE);
        assertEquals(7, run(uc, Long.MAX_VALUE, false));
        assertEquals(2, seen.size());
        assertArrayEquals(new long[] {0x61, 3, CODE + 2}, seen.get(0));
        assertArrayEquals(new long[] {0x80, 5, CODE + 5}, seen.get(1));
        assertEquals(0x5a, uc.regRead(X86Reg.RAX) & 0xff);
    }

    @ParameterizedTest
    @EnumSource(CountingMode.class)
    void aStopAskedFromAnMmioWriteDoesNotRepeatTheWrite(CountingMode mode) {
        // mov $0x10300,%ebx; nop; mov %eax,(%rbx); nop; nop; hlt
        byte[] program = {(byte) 0xbb, 0x00, 0x03, 0x01, 0x00, NOP, (byte) 0x89, 0x03, NOP, NOP, HLT};
        Unicorn uc = engine(mode, program);
        int[] writes = {0};
        uc.mmioMap(0x10000, 0x1000, (offset, size) -> 0, (offset, size, value) -> {
            writes[0]++;
            uc.counter().setBudget(Math.min(uc.counter().budget(), uc.counter().executed()));
            uc.emuStop();
        });
        uc.regWrite(X86Reg.RIP, CODE);
        long first = run(uc, Long.MAX_VALUE, false);
        assertTrue(first >= 3, "at least up to the write: " + first);
        long total = first;
        if (uc.regRead(X86Reg.RIP) != CODE + program.length) {
            total += run(uc, Long.MAX_VALUE, false); // the rest, when the stop came before the hlt
        }
        assertEquals(CODE + program.length, uc.regRead(X86Reg.RIP));
        assertEquals(6, total, "every instruction once");
        assertEquals(1, writes[0], "the store happened once");
    }

    @ParameterizedTest
    @EnumSource(CountingMode.class)
    void aSiteAtABlockStartSeesItsOwnRipAndAFailureThereNamesIt(CountingMode mode) {
        // 0x1000: dec %rcx; jnz 0x1000 (chained to itself: Unicorn's own RIP goes stale in the loop)
        Unicorn uc = engine(mode, countdownLoop());
        uc.addSiteHook(CODE + 3, (address, size) -> { }); // a site inside the block: its code hook syncs RIP
        List<Long> ripsSeen = new ArrayList<>();
        uc.addSiteHook(CODE, (address, size) -> {
            ripsSeen.add(uc.regRead(X86Reg.RIP));
            if (ripsSeen.size() == 3) {
                throw new IllegalStateException("third time");
            }
        });
        uc.regWrite(X86Reg.RCX, 10);
        uc.counter().reset();
        uc.counter().setBudget(Long.MAX_VALUE);
        HookFailedException failure = org.junit.jupiter.api.Assertions.assertThrows(HookFailedException.class,
                () -> uc.emuStart(CODE));
        assertEquals(List.of(CODE, CODE, CODE), ripsSeen);
        assertEquals(CODE, failure.guestRip());
    }

    @Test
    void newBytesUnderTheSameBlockShapeAreDecodedAfresh() {
        Unicorn uc = engine(CountingMode.BLOCKS, new byte[] {NOP, NOP, NOP, NOP, HLT});
        uc.regWrite(X86Reg.RIP, CODE);
        assertEquals(5, run(uc, Long.MAX_VALUE, false));
        uc.memWrite(CODE, new byte[] {0x66, NOP, 0x66, NOP, HLT}); // two 2-byte nops: same 5 bytes
        uc.flushTranslations(CODE, CODE + 4);
        uc.regWrite(X86Reg.RIP, CODE);
        assertEquals(3, run(uc, Long.MAX_VALUE, false));
    }

    @Test
    void anEngineMovedToInstructionCountingGoesOnCountingAndFiringSites() {
        Unicorn uc = engine(CountingMode.BLOCKS, countdownLoop());
        List<Long> seen = new ArrayList<>();
        uc.addSiteHook(CODE + 3, (address, size) -> seen.add(uc.counter().executed()));
        uc.regWrite(X86Reg.RCX, 10);
        uc.regWrite(X86Reg.RIP, CODE);
        assertEquals(7, run(uc, 7, false));
        assertEquals(CountingMode.BLOCKS, uc.countingMode());
        uc.switchToInstructionCounting();
        assertEquals(CountingMode.INSTRUCTIONS, uc.countingMode());
        assertEquals(21 - 7, run(uc, Long.MAX_VALUE, false));
        assertEquals(10, seen.size(), "the jnz site fired once per iteration in both modes");
        assertEquals(List.of(2L, 4L, 6L), seen.subList(0, 3));
    }
}
