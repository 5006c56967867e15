package dev.nmilab.nmi.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.event.IretExecuted;
import dev.nmilab.event.Note;
import dev.nmilab.nmi.entry.NmiEntryRig.Frame;
import dev.nmilab.nmi.entry.NmiEntryRig.Snapshot;
import dev.nmilab.smp.Scheduler.Outcome;
import dev.nmilab.smp.Scheduler.RunResult;
import dev.nmilab.x86.Cpu;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** naive.S (x86_64 before 3.3): fine alone, broken by an NMI after a #BP iretq in the handler. */
class NaiveEntryTest {
    @Test
    void oneNmiRunsTheHandlerOnTheCpusFrame() {
        try (NmiEntryRig rig = NmiEntryRig.withJavaHandler(NmiEntryVariant.NAIVE)) {
            List<Snapshot> restore = rig.probe("nmi_restore");
            rig.nmiAt("nmi_site", 1);

            RunResult result = rig.run();

            assertEquals(List.of(rig.nmiTop() - 0xa8), rig.doNmiRegs, "pt_regs right below the CPU's frame");
            assertEquals(rig.startFrame(), restore.get(0).original());
            List<IretExecuted> irets = rig.irets();
            assertEquals(1, irets.size());
            assertEquals(rig.nmiTop() - 0x28, irets.get(0).frame());
            assertEquals(Outcome.ALL_HALTED, result.outcome());
            assertTrue(rig.intactRegisters());
        }
    }

    /**
     * The second NMI lands on the first one's frame (top-0x28) and pt_regs. Nothing checks for it:
     * the second NMI runs nmi_body, returns with its iretq to bp_returned in the first NMI's
     * nmi_body, and the first NMI, done, pops the frame at top-0x28 - the second NMI's, pointing
     * at bp_returned with %rsp inside nmi_body. From there ret, POP_REGS and iretq come back to the
     * same frame: the CPU goes round bp_returned .. nmi_restore's iretq (each turn one #BP at
     * bp2_returned) until the instruction budget runs out, and _start is never resumed. do_nmi is
     * not called again: the loop resumes nmi_body after its call.
     */
    @Test
    void nestedNmiOverwritesTheFrameAndTheCpuNeverGetsBack() {
        try (NmiEntryRig rig = NmiEntryRig.withAsmBody(NmiEntryVariant.NAIVE)) {
            rig.nmiAt("nmi_site", 1);
            rig.nmiAt("bp_returned", 1);

            RunResult result = rig.run();

            List<Note> overwritten = rig.notes("frame_overwritten");
            assertEquals(1, overwritten.size());
            assertTrue(overwritten.get(0).text().contains("RIP nmi_site -> bp_returned"), overwritten.get(0).text());
            assertEquals(Outcome.INSTRUCTION_LIMIT, result.outcome());
            assertEquals(Cpu.State.RUNNING, rig.cpu.state());
            Frame frame = rig.originalFrame();
            assertEquals(rig.symbol("bp_returned"), frame.rip(), "the only frame now leads back into nmi_body");
            assertTrue(frame.rsp() < rig.nmiTop() && frame.rsp() > rig.nmiTop() - 0x1000);
            long loops = rig.irets().stream()
                    .filter(i -> i.frame() == rig.nmiTop() - 0x28 && i.to().equals("bp_returned")).count();
            assertTrue(loops > 1000, "iretq back into nmi_body " + loops + " times");
            assertEquals(2, rig.doNmiRegs.size());
            assertEquals(2, rig.cpu.nmisDelivered());
            assertTrue(Arrays.stream(rig.regsAfter()).allMatch(r -> r == 0), "_start never got past nmi_site");
        }
    }
}
