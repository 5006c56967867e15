package dev.nmilab.apic;

import static dev.nmilab.apic.ApicDef.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The unhalted-cycles counter and its PMI through LVT PC, with the scheduler's quantum as precision. */
class PerfCounterTest {
    private static final long PERIOD = 5_000;

    private static StubMachine spinningCpu0() {
        StubMachine m = new StubMachine(2);
        m.machine.scheduler().setQuantum(1_000);
        m.bus.linuxBootSetupAll(ExtNmi.BSP); // LVTPC = APIC_DM_NMI on every CPU
        m.script(0, StubMachine.SPIN);
        m.bus.perfCounter(0).program(PERIOD);
        m.bus.perfCounter(1).program(PERIOD);
        return m;
    }

    @Test
    void overflowRaisesOnePmiThenLvtPcStaysMasked() {
        try (StubMachine m = spinningCpu0()) {
            PerfCounter counter = m.bus.perfCounter(0);
            m.runUntil(4_999);
            assertEquals(0, counter.overflows(), "4999 ns unhalted is short of the period");
            assertEquals(0, m.readInt("nmi_count", 0));

            m.runUntil(5_000);
            assertEquals(1, counter.overflows());
            assertEquals(1, counter.pmisDelivered());
            assertEquals(APIC_DM_NMI | APIC_LVT_MASKED, m.apic(0).read(APIC_LVTPC), "masked on delivery");

            m.runUntil(20_500);
            assertEquals(1, m.readInt("nmi_count", 0), "the handler did not unmask LVT PC");
            assertEquals(4, counter.overflows(), "5, 10, 15 and 20 us");
            assertEquals(1, counter.pmisDelivered());
            assertTrue(m.notes("pmi_masked") >= 3);
        }
    }

    @Test
    void aHandlerThatUnmasksGetsEveryOverflow() {
        try (StubMachine m = spinningCpu0()) {
            m.writeInt("nmi_unmask_pc", 0, 1);
            m.runUntil(20_500);
            assertEquals(4, m.readInt("nmi_count", 0));
            assertEquals(4, m.bus.perfCounter(0).pmisDelivered());
            assertEquals(APIC_DM_NMI, m.apic(0).read(APIC_LVTPC), "unmasked by the handler");
        }
    }

    @Test
    void unmaskPcFromJavaReopensTheEntry() {
        try (StubMachine m = spinningCpu0()) {
            m.runUntil(5_000);
            m.apic(0).unmaskPc();
            assertEquals(APIC_DM_NMI, m.apic(0).read(APIC_LVTPC));
            m.runUntil(10_500);
            assertEquals(2, m.readInt("nmi_count", 0));
        }
    }

    @Test
    void aHaltedCpuDoesNotOverflow() {
        try (StubMachine m = spinningCpu0()) {
            m.runUntil(50_000);
            assertEquals(0, m.bus.perfCounter(1).overflows(), "CPU 1 halted at once");
            assertEquals(0, m.readInt("nmi_count", 1));
            assertTrue(m.machine.cpu(1).unhaltedNs() < PERIOD);
            assertEquals(10, m.bus.perfCounter(0).overflows(), "while CPU 0 spun all along");
        }
    }

    @Test
    void aCpuThatSpinsThenHaltsOverflowsOnlyWhileRunning() {
        try (StubMachine m = new StubMachine(1)) {
            m.machine.scheduler().setQuantum(1_000);
            m.apic(0).linuxBootSetup();
            m.script(0, StubMachine.SPIN_THEN_IDLE);
            m.writeLong("spin_count", 6_000); // about 12 000 instructions
            m.bus.perfCounter(0).program(PERIOD);
            m.runUntil(100_000);
            long unhalted = m.machine.cpu(0).unhaltedNs();
            assertTrue(unhalted > 2 * PERIOD && unhalted < 3 * PERIOD, "unhalted " + unhalted);
            assertEquals(2, m.bus.perfCounter(0).overflows(), "two periods run, then halted for ~88 us");
        }
    }

    @Test
    void disabledOrBadlyProgrammedCounters() {
        try (StubMachine m = spinningCpu0()) {
            m.bus.perfCounter(0).disable();
            m.runUntil(20_000);
            assertEquals(0, m.bus.perfCounter(0).overflows());
            assertArrayEquals(new int[] {0, 0}, m.readInts("nmi_count", 2));
            assertThrows(IllegalArgumentException.class, () -> m.bus.perfCounter(0).program(0));
        }
    }
}
