package dev.nmilab.nmi.entry;

import static dev.nmilab.nmi.entry.NmiEntryRig.KERNEL_CS;
import static dev.nmilab.nmi.entry.NmiEntryRig.KERNEL_DS;
import static dev.nmilab.nmi.entry.NmiEntryRig.RFLAGS_DF;
import static dev.nmilab.nmi.entry.NmiEntryRig.RFLAGS_IF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.event.IretExecuted;
import dev.nmilab.event.NmiLatched;
import dev.nmilab.nmi.entry.NmiEntryRig.Frame;
import dev.nmilab.nmi.entry.NmiEntryRig.Snapshot;
import dev.nmilab.smp.BootLayout;
import dev.nmilab.smp.Scheduler.Outcome;
import dev.nmilab.smp.Scheduler.RunResult;
import dev.nmilab.x86.Vector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * nested-safe.S on the real engine: the frame copies on the NMI stack after each step, nesting
 * recognised by "NMI executing" and by the interrupted RSP, one repeat, and NMIs inside
 * repeat_nmi..end_repeat_nmi absorbed.
 */
class NestedSafeEntryTest {
    /** movq $1 to "NMI executing", then five push/pop pairs (COPY_NMI_FRAME). */
    private static final int REPEAT_NMI_INSTRUCTIONS = 11;

    /** What a nested NMI writes into the outer NMI's iret frame. */
    private static Frame repeatFrame(NmiEntryRig rig, long rflags) {
        return new Frame(rig.symbol("repeat_nmi"), KERNEL_CS, rflags, rig.nmiTop() - 0x88, KERNEL_DS);
    }

    private static long[] words(Frame f) {
        return new long[] {f.rip(), f.cs(), f.rflags(), f.rsp(), f.ss()};
    }

    @Test
    void oneNmiCopiesItsFrameTwiceAndReturnsThroughTheCopy() {
        try (NmiEntryRig rig = NmiEntryRig.withJavaHandler(NmiEntryVariant.NESTED_SAFE)) {
            List<Snapshot> firstNmi = rig.probe("first_nmi");
            List<Snapshot> repeatNmi = rig.probe("repeat_nmi");
            List<Snapshot> endRepeat = rig.probe("end_repeat_nmi");
            List<Snapshot> restore = rig.probe("nmi_restore");
            long[] ptRegsFrame = new long[6];
            rig.onDoNmi(call -> {
                long regs = call.arg(0);
                for (int i = 0; i < ptRegsFrame.length; i++) { // orig_rax, ip, cs, flags, sp, ss
                    ptRegsFrame[i] = rig.readLong(regs + 15 * 8 + 8L * i);
                }
            });
            rig.nmiAt("nmi_site", 1);

            RunResult result = rig.run();

            long top = rig.nmiTop();
            Frame start = rig.startFrame();
            assertEquals(1, firstNmi.size());
            assertEquals(top - 0x30, firstNmi.get(0).rsp(), "%rsp after pushq %rdx");
            assertEquals(start, firstNmi.get(0).original(), "the CPU's frame at top-0x28");
            assertEquals(1, repeatNmi.size(), "no nesting: repeat_nmi only by falling through");
            assertEquals(top - 0x88, repeatNmi.get(0).rsp());
            assertEquals(start, repeatNmi.get(0).outermost(), "first_nmi saved the frame at top-0x88");
            assertEquals(0, repeatNmi.get(0).nmiExecuting(), "first_nmi pushed a clear \"NMI executing\"");
            assertEquals(start, endRepeat.get(0).iret(), "repeat_nmi copied it to top-0x60");
            assertEquals(1, endRepeat.get(0).nmiExecuting());
            assertEquals(1, restore.get(0).nmiExecuting(), "still set after the handler");

            assertEquals(List.of(top - 0x108), rig.doNmiRegs, "pt_regs right below the saved frame");
            assertEquals(List.of(0xffL), rig.doNmiErrorCode, "the reason byte: port 0x61 is unclaimed in this rig, so it floats high");
            assertEquals(-1, ptRegsFrame[0], "orig_rax");
            assertEquals(start.rip(), ptRegsFrame[1], "pt_regs->ip is the saved frame");
            assertEquals(start.rsp(), ptRegsFrame[4], "pt_regs->sp");

            assertEquals(Outcome.ALL_HALTED, result.outcome());
            assertTrue(rig.intactRegisters());
            assertEquals(0, rig.nmiExecuting(), "cleared before the final iretq");
            List<IretExecuted> irets = rig.irets();
            assertEquals(1, irets.size());
            assertEquals(top - 0x60, irets.get(0).frame(), "the final iretq pops the copied frame");
            assertEquals("nmi_site", irets.get(0).to());
            assertTrue(irets.get(0).unblockedNmi());
        }
    }

    @Test
    void nmiRaisedWhileDoNmiRunsIsLatchedByTheCpuAndRunsAsANewFirstNmi() {
        try (NmiEntryRig rig = NmiEntryRig.withJavaHandler(NmiEntryVariant.NESTED_SAFE)) {
            List<Snapshot> firstNmi = rig.probe("first_nmi");
            List<Snapshot> nested = rig.probe("nested_nmi");
            rig.onDoNmi(call -> {
                if (rig.doNmiRegs.size() == 1) {
                    call.cpu().raiseNmi("do_nmi");
                }
            });
            rig.nmiAt("nmi_site", 1);

            RunResult result = rig.run();

            // No exception in the handler: NMIs stay blocked, the CPU holds the second one and
            // delivers it right after the final iretq, on an empty NMI stack.
            assertEquals(1, rig.log.events().stream().filter(e -> e instanceof NmiLatched).count());
            assertEquals(2, firstNmi.size());
            assertEquals(rig.startFrame(), firstNmi.get(1).original());
            assertEquals(0, nested.size());
            assertEquals(2, rig.doNmiRegs.size());
            assertEquals(Outcome.ALL_HALTED, result.outcome());
            assertTrue(rig.intactRegisters());
        }
    }

    /**
     * The iret problem's pattern: the handler's #BP iretq unblocks NMIs, a second NMI comes right
     * after it, a third while the first is in repeat_nmi. The handler runs twice for three NMIs.
     */
    @Test
    void threeNmisTheHandlerTakingABreakpointRunTheHandlerTwice() {
        try (NmiEntryRig rig = NmiEntryRig.withAsmBody(NmiEntryVariant.NESTED_SAFE)) {
            List<Snapshot> nested = rig.probe("nested_nmi");
            List<Snapshot> nestedOut = rig.probe("nested_nmi_out");
            List<Snapshot> restore = rig.probe("nmi_restore");
            List<Snapshot> endRepeat = rig.probe("end_repeat_nmi");
            rig.nmiAt("nmi_site", 1);
            rig.nmiAt("bp_returned", 1);
            rig.nmiAfter("repeat_nmi", 2, 4);

            RunResult result = rig.run();

            long top = rig.nmiTop();
            Frame start = rig.startFrame();
            // Second NMI: "NMI executing" is what tells. Its interrupted RFLAGS have DF clear, so
            // the RSP test alone would have called it a first NMI.
            Snapshot second = nested.get(0);
            assertEquals(1, second.nmiExecuting());
            assertEquals(rig.symbol("bp_returned"), second.original().rip(), "the CPU's frame is overwritten");
            assertEquals(0, second.original().rflags() & RFLAGS_DF);
            assertTrue(second.original().rsp() < top && second.original().rsp() > top - 0x1000,
                    "interrupted on the NMI stack, inside nmi_body");
            assertEquals(start, second.outermost(), "the saved frame survives");
            assertEquals(start, second.iret(), "the copied frame survives");

            // After nested_nmi: the copied frame leads to repeat_nmi; the saved one is untouched.
            Snapshot rewritten = nestedOut.get(0);
            assertEquals(repeatFrame(rig, rewritten.iret().rflags()), rewritten.iret());
            assertEquals(0, rewritten.iret().rflags() & RFLAGS_IF, "repeat_nmi runs with interrupts off");
            assertEquals(start, rewritten.outermost());
            assertEquals(rewritten.iret(), restore.get(0).iret(), "the outer NMI's handler ends with it");

            // Third NMI: interrupted inside repeat_nmi..end_repeat_nmi, straight to nested_nmi_out.
            assertEquals(1, nested.size(), "the third NMI never reaches nested_nmi");
            assertEquals(2, nestedOut.size());
            long third = nestedOut.get(1).original().rip();
            assertTrue(third > rig.symbol("repeat_nmi") && third < rig.symbol("end_repeat_nmi"));
            assertEquals(start, nestedOut.get(1).outermost());

            // repeat_nmi restored the copied frame; the second pass returns to _start.
            assertEquals(2, endRepeat.size());
            assertEquals(start, endRepeat.get(1).iret());
            assertEquals(1, endRepeat.get(1).nmiExecuting());

            assertEquals(2, rig.doNmiRegs.size(), "three NMIs, the handler twice");
            assertEquals(3, rig.cpu.nmisDelivered());
            assertEquals(4, rig.cpu.delivered(Vector.BP));
            assertEquals(Outcome.ALL_HALTED, result.outcome());
            assertTrue(rig.intactRegisters());
            assertEquals(0, rig.nmiExecuting());
            List<String> finalIrets = rig.irets().stream().filter(i -> i.frame() == top - 0x60)
                    .map(IretExecuted::to).toList();
            assertEquals(List.of("repeat_nmi", "nmi_site"), finalIrets);
            // the nested NMI overwrote the CPU's frame by design: no iretq ever pops it (the copies
            // carry the way back), so nmilab reports no lost frame
            assertEquals(List.of(), rig.notes("frame_overwritten"));
        }
    }

    /** repeat_nmi, instruction by instruction: the copied frame turns back into the saved one word by word. */
    @Test
    void repeatNmiCopiesTheSavedFrameWordByWord() {
        try (NmiEntryRig rig = NmiEntryRig.withAsmBody(NmiEntryVariant.NESTED_SAFE)) {
            List<Snapshot> steps = rig.trace("repeat_nmi", "end_repeat_nmi");
            List<Snapshot> nestedOut = rig.probe("nested_nmi_out");
            rig.nmiAt("nmi_site", 1);
            rig.nmiAt("bp_returned", 1);

            assertEquals(Outcome.ALL_HALTED, rig.run().outcome());

            assertEquals(2 * REPEAT_NMI_INSTRUCTIONS, steps.size());
            long[] saved = words(rig.startFrame());
            long[] redirect = words(nestedOut.get(0).iret());
            for (int i = 0; i < REPEAT_NMI_INSTRUCTIONS; i++) {
                Snapshot step = steps.get(REPEAT_NMI_INSTRUCTIONS + i);
                assertEquals(i == 0 ? 0 : 1, step.nmiExecuting(), "step " + i);
                // Before each pop, the pushed word is still on the stack (at top-0x90, orig_rax's slot).
                assertEquals(rig.nmiTop() - 0x88 - (i > 0 && i % 2 == 0 ? 8 : 0), step.rsp(), "step " + i);
                int copied = i == 0 ? 0 : (i - 1) / 2;
                long[] iret = words(step.iret());
                for (int w = 0; w < 5; w++) {
                    assertEquals(w < copied ? saved[w] : redirect[w], iret[w], "step " + i + " word " + w);
                }
                assertEquals(rig.startFrame(), step.outermost(), "step " + i);
            }
        }
    }

    /** An NMI at each instruction of the repeat pass's repeat_nmi..end_repeat_nmi changes nothing. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void nmiInsideRepeatNmiIsAbsorbed(int offset) {
        try (NmiEntryRig rig = NmiEntryRig.withAsmBody(NmiEntryVariant.NESTED_SAFE)) {
            List<Snapshot> nested = rig.probe("nested_nmi");
            List<Snapshot> nestedOut = rig.probe("nested_nmi_out");
            List<Snapshot> endRepeat = rig.probe("end_repeat_nmi");
            List<Snapshot> repeat = rig.probe("repeat_nmi");
            rig.nmiAt("nmi_site", 1);
            rig.nmiAt("bp_returned", 1);
            rig.nmiAfter("repeat_nmi", 2, offset);

            RunResult result = rig.run();

            assertEquals(REPEAT_NMI_INSTRUCTIONS, endRepeat.get(0).instructions() - repeat.get(0).instructions());
            assertEquals(3, rig.cpu.nmisDelivered());
            assertEquals(1, nested.size());
            assertEquals(2, nestedOut.size());
            long at = nestedOut.get(1).original().rip();
            assertTrue(at >= rig.symbol("repeat_nmi") && at < rig.symbol("end_repeat_nmi"));
            assertEquals(rig.startFrame(), endRepeat.get(1).iret());
            assertEquals(2, rig.doNmiRegs.size());
            assertEquals(Outcome.ALL_HALTED, result.outcome());
            assertTrue(rig.intactRegisters());
        }
    }

    /** One instruction later, at end_repeat_nmi, the NMI is nested in the handler pass: one more repeat. */
    @Test
    void nmiAtEndRepeatNmiRepeatsTheHandlerAgain() {
        try (NmiEntryRig rig = NmiEntryRig.withAsmBody(NmiEntryVariant.NESTED_SAFE)) {
            List<Snapshot> nested = rig.probe("nested_nmi");
            rig.nmiAt("nmi_site", 1);
            rig.nmiAt("bp_returned", 1);
            rig.nmiAt("end_repeat_nmi", 2);

            RunResult result = rig.run();

            assertEquals(2, nested.size());
            assertEquals(rig.symbol("end_repeat_nmi"), nested.get(1).original().rip());
            assertEquals(3, rig.doNmiRegs.size());
            assertEquals(Outcome.ALL_HALTED, result.outcome());
            assertTrue(rig.intactRegisters());
        }
    }

    /**
     * "NMI executing" is clear between nmi_restore's store and its iretq; an NMI there is nested by
     * the interrupted RSP (on the NMI stack) with DF set (nmi_restore's std).
     */
    @Test
    void nmiAtTheFinalIretqIsNestedByItsStackPointer() {
        try (NmiEntryRig rig = NmiEntryRig.withAsmBody(NmiEntryVariant.NESTED_SAFE)) {
            List<Snapshot> nested = rig.probe("nested_nmi");
            List<Snapshot> nestedOut = rig.probe("nested_nmi_out");
            rig.nmiAt("nmi_site", 1);
            // 15 pops, addq, std, movq $0: the next instruction is the iretq. The #BP iretqs in
            // nmi_body have unblocked NMIs, so this one is delivered at once.
            rig.nmiAfter("nmi_restore", 1, 18);

            RunResult result = rig.run();

            assertEquals(1, nested.size());
            Snapshot second = nested.get(0);
            assertEquals(0, second.nmiExecuting(), "cleared by the outer NMI");
            assertEquals(rig.finalIretq(), second.original().rip());
            assertEquals(rig.nmiTop() - 0x60, second.original().rsp(), "the outer NMI's %rsp: its iret frame");
            assertNotEquals(0, second.original().rflags() & RFLAGS_DF);
            assertEquals(repeatFrame(rig, nestedOut.get(0).iret().rflags()), nestedOut.get(0).iret());
            assertEquals(2, rig.doNmiRegs.size());
            assertEquals(Outcome.ALL_HALTED, result.outcome());
            assertTrue(rig.intactRegisters(), "DF is clear again at _start");
        }
    }

    /** Two nested NMIs in one handler pass leave one repeat: the software latch is one deep. */
    @Test
    void twoNestedNmisInOnePassRepeatOnce() {
        try (NmiEntryRig rig = NmiEntryRig.withAsmBody(NmiEntryVariant.NESTED_SAFE)) {
            List<Snapshot> nested = rig.probe("nested_nmi");
            rig.nmiAt("nmi_site", 1);
            rig.nmiAt("bp_returned", 1);
            rig.nmiAt("bp2_returned", 1);

            RunResult result = rig.run();

            assertEquals(2, nested.size());
            assertEquals(3, rig.cpu.nmisDelivered());
            assertEquals(2, rig.doNmiRegs.size());
            assertEquals(Outcome.ALL_HALTED, result.outcome());
            assertTrue(rig.intactRegisters());
        }
    }

    /** A stack pointer that merely points into the NMI stack, DF clear, is not nesting. */
    @Test
    void interruptedStackInsideTheNmiStackWithDfClearIsAFirstNmi() {
        long startRsp = BootLayout.istTop(0, BootLayout.IST_NMI) - 0x800;
        String prefix = String.format("#define START_RSP 0x%x%n", startRsp);
        try (NmiEntryRig rig = new NmiEntryRig(NmiEntryVariant.NESTED_SAFE, prefix)) {
            List<Snapshot> firstNmi = rig.probe("first_nmi");
            List<Snapshot> nested = rig.probe("nested_nmi");
            rig.nmiAt("nmi_site", 1);

            RunResult result = rig.run();

            assertEquals(1, firstNmi.size());
            assertEquals(startRsp, firstNmi.get(0).original().rsp());
            assertEquals(0, firstNmi.get(0).nmiExecuting());
            assertEquals(0, nested.size());
            assertEquals(1, rig.doNmiRegs.size());
            assertEquals(Outcome.ALL_HALTED, result.outcome());
            assertTrue(rig.intactRegisters(startRsp));
            assertFalse(rig.cpu.nmiBlocked());
        }
    }
}
