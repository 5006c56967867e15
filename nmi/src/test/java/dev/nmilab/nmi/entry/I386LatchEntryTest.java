package dev.nmilab.nmi.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.event.ExceptionDelivered;
import dev.nmilab.nmi.entry.NmiEntryRig.Snapshot;
import dev.nmilab.smp.BootLayout;
import dev.nmilab.smp.Scheduler.Outcome;
import dev.nmilab.smp.Scheduler.RunResult;
import dev.nmilab.stub.DefaultIdt;
import dev.nmilab.x86.Cpu;
import dev.nmilab.x86.Vector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** i386-latch.S: nmi_state NOT_RUNNING 0, EXECUTING 1, LATCHED 2 at %gs:16. */
class I386LatchEntryTest {
    private static List<Long> nmiFrames(NmiEntryRig rig) {
        return rig.log.events().stream()
                .filter(e -> e instanceof ExceptionDelivered d && d.vector() == Vector.NMI)
                .map(e -> ((ExceptionDelivered) e).frame()).toList();
    }

    @Test
    void oneNmiGoesExecutingAndBackToNotRunning() {
        try (NmiEntryRig rig = NmiEntryRig.withJavaHandler(NmiEntryVariant.I386_LATCH)) {
            List<Snapshot> restart = rig.probe("nmi_restart");
            List<Snapshot> restore = rig.probe("nmi_restore");
            rig.nmiAt("nmi_site", 1);

            RunResult result = rig.run();

            assertEquals(1, restart.size());
            assertEquals(1, restart.get(0).nmiState());
            assertEquals(0, restore.get(0).nmiState());
            assertEquals(1, rig.doNmiRegs.size());
            assertEquals(List.of(BootLayout.kernelStackTop(0) - 0x28), nmiFrames(rig), "no IST: the kernel stack");
            assertEquals(Outcome.ALL_HALTED, result.outcome());
            assertTrue(rig.intactRegisters());
            assertEquals(0, rig.nmiState());
        }
    }

    @Test
    void nmiAfterTheHandlersBreakpointIsLatchedAndRunOnceMore() {
        try (NmiEntryRig rig = NmiEntryRig.withAsmBody(NmiEntryVariant.I386_LATCH)) {
            List<Snapshot> latch = rig.probe("nmi_latch");
            List<Snapshot> restart = rig.probe("nmi_restart");
            List<Snapshot> afterSecond = rig.probe("bp2_returned");
            rig.nmiAt("nmi_site", 1);
            rig.nmiAt("bp_returned", 1);

            RunResult result = rig.run();

            assertEquals(1, latch.size());
            assertEquals(1, latch.get(0).nmiState(), "the second NMI finds EXECUTING");
            assertEquals(2, afterSecond.get(0).nmiState(), "and leaves LATCHED behind");
            assertEquals(2, restart.size());
            assertEquals(1, restart.get(1).nmiState(), "the decrement turned LATCHED into EXECUTING");
            assertEquals(2, rig.doNmiRegs.size());
            List<Long> frames = nmiFrames(rig);
            assertTrue(frames.get(1) < frames.get(0) - 0x28, "the nested frame lies below the running one");
            assertEquals(0, rig.notes("frame_overwritten").size());
            assertEquals(Outcome.ALL_HALTED, result.outcome());
            assertTrue(rig.intactRegisters());
            assertEquals(0, rig.nmiState());
        }
    }

    @Test
    void latchingTwiceIsLatchingOnce() {
        try (NmiEntryRig rig = NmiEntryRig.withAsmBody(NmiEntryVariant.I386_LATCH)) {
            List<Snapshot> latch = rig.probe("nmi_latch");
            rig.nmiAt("nmi_site", 1);
            rig.nmiAt("bp_returned", 1);
            rig.nmiAt("bp2_returned", 1);

            RunResult result = rig.run();

            assertEquals(2, latch.size());
            assertEquals(2, latch.get(1).nmiState(), "already LATCHED");
            assertEquals(3, rig.cpu.nmisDelivered());
            assertEquals(2, rig.doNmiRegs.size());
            assertEquals(Outcome.ALL_HALTED, result.outcome());
            assertEquals(0, rig.nmiState());
        }
    }

    /** Unlike nested-safe's repeat_nmi window, the repeat pass is a running handler: it latches again. */
    @Test
    void nmiDuringTheRepeatPassLatchesAgain() {
        try (NmiEntryRig rig = NmiEntryRig.withAsmBody(NmiEntryVariant.I386_LATCH)) {
            rig.nmiAt("nmi_site", 1);
            rig.nmiAt("bp_returned", 1);
            // bp2_returned is reached once per pass (bp_returned twice in the first: the NMI there
            // interrupts it before it executes): the second time is the repeat pass.
            rig.nmiAt("bp2_returned", 2);

            RunResult result = rig.run();

            assertEquals(3, rig.doNmiRegs.size());
            assertEquals(Outcome.ALL_HALTED, result.outcome());
            assertTrue(rig.intactRegisters());
            assertEquals(0, rig.nmiState());
        }
    }

    /**
     * The latch alone on x86_64's IST stack: the second NMI's frame lands on the first's (top-0x28)
     * and the latch cannot help. The first NMI repeats the handler as it should, then its iretq
     * pops the second NMI's frame, back to bp_returned inside nmi_body; nmi_body returns into the
     * entry, which decrements nmi_state again (0 -> -1 -> ...) and, never seeing zero, calls the
     * handler over and over until the instruction budget runs out.
     */
    @Test
    void onTheX8664IstStackTheNestedFrameStillOverwritesTheRunningOne() {
        try (NmiEntryRig rig = NmiEntryRig.withAsmBody(NmiEntryVariant.I386_LATCH)) {
            rig.machine.writeIdt(DefaultIdt.handlers(name -> rig.image.symbols().addressOf(name)),
                    BootLayout.defaultIst());
            rig.nmiAt("nmi_site", 1);
            rig.nmiAt("bp_returned", 1);

            RunResult result = rig.run();

            assertEquals(List.of(rig.nmiTop() - 0x28, rig.nmiTop() - 0x28), nmiFrames(rig));
            assertEquals(1, rig.notes("frame_overwritten").size());
            assertEquals(Outcome.INSTRUCTION_LIMIT, result.outcome());
            assertEquals(Cpu.State.RUNNING, rig.cpu.state());
            assertTrue(rig.nmiState() < 0, "nmi_state decremented below NOT_RUNNING: " + rig.nmiState());
            assertTrue(rig.doNmiRegs.size() > 100, "handler runs: " + rig.doNmiRegs.size());
        }
    }
}
