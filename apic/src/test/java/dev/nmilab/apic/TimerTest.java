package dev.nmilab.apic;

import static dev.nmilab.apic.ApicDef.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The APIC timer in virtual time: 1 GHz bus clock, so an initial count of N with divider D
 * expires N * D nanoseconds after it was written.
 */
class TimerTest {

    private static StubMachine bootedCpu() {
        StubMachine m = new StubMachine(1);
        m.apic(0).linuxBootSetup(); // LVTT 0xec one-shot, divide by 16
        return m;
    }

    @Test
    void oneShotExpiresExactlyAtCountTimesDivider() {
        try (StubMachine m = bootedCpu()) {
            LocalApic apic = m.apic(0);
            apic.write(APIC_TMICT, 1000);
            assertEquals(16_000, apic.nextTimerExpiryNs());

            m.runUntil(15_999);
            assertEquals(0, apic.timerExpiries());
            assertEquals(1, apic.read(APIC_TMCCT), "1000 - 15999 / 16");

            m.runUntil(16_000);
            assertEquals(1, apic.timerExpiries());
            assertEquals(16_000, apic.lastTimerExpiryNs());
            assertEquals(0, apic.read(APIC_TMCCT));

            m.runUntil(40_000);
            assertArrayEquals(new int[] {LOCAL_TIMER_VECTOR}, m.irqLog(), "one interrupt, one shot");
            assertEquals(1, apic.timerExpiries());
        }
    }

    @Test
    void periodicReloadsEveryPeriodWithoutDrift() {
        try (StubMachine m = bootedCpu()) {
            LocalApic apic = m.apic(0);
            apic.write(APIC_LVTT, LOCAL_TIMER_VECTOR | APIC_LVT_TIMER_PERIODIC);
            apic.write(APIC_TDCR, APIC_TDR_DIV_2);
            apic.write(APIC_TMICT, 500); // 1000 ns period

            m.runUntil(4_999);
            assertEquals(4, apic.timerExpiries());
            assertEquals(4_000, apic.lastTimerExpiryNs());
            assertEquals(1, apic.read(APIC_TMCCT), "500 - (4999 - 4000) / 2");

            m.runUntil(5_000);
            assertEquals(5, apic.timerExpiries());
            assertEquals(5_000, apic.lastTimerExpiryNs());
            assertEquals(6_000, apic.nextTimerExpiryNs());

            m.runUntil(5_500);
            assertEquals(5, m.readInt("irq_count", 0), "one interrupt per period");
        }
    }

    @Test
    void maskedTimerCountsButDeliversNothing() {
        try (StubMachine m = bootedCpu()) {
            LocalApic apic = m.apic(0);
            apic.write(APIC_LVTT, LOCAL_TIMER_VECTOR | APIC_LVT_TIMER_PERIODIC | APIC_LVT_MASKED);
            apic.write(APIC_TDCR, APIC_TDR_DIV_1);
            apic.write(APIC_TMICT, 1000);
            m.runUntil(5_500);
            assertEquals(5, apic.timerExpiries());
            assertEquals(5, apic.droppedMasked(APIC_LVTT));
            assertEquals(0, m.readInt("irq_count", 0));
        }
    }

    @Test
    void writingZeroStopsTheTimer() {
        try (StubMachine m = bootedCpu()) {
            LocalApic apic = m.apic(0);
            apic.write(APIC_TMICT, 100);
            m.runUntil(1_000);
            apic.write(APIC_TMICT, 0);
            assertEquals(-1, apic.nextTimerExpiryNs());
            m.runUntil(10_000);
            assertEquals(0, apic.timerExpiries());
            assertEquals(0, apic.read(APIC_TMCCT));
        }
    }

    @Test
    void changingTheDividerMidCountKeepsTheRemainingTicks() {
        try (StubMachine m = bootedCpu()) {
            LocalApic apic = m.apic(0);
            apic.write(APIC_TDCR, APIC_TDR_DIV_2);
            apic.write(APIC_TMICT, 1000); // would expire at 2000
            m.runUntil(1_000);
            assertEquals(500, apic.read(APIC_TMCCT));
            apic.write(APIC_TDCR, APIC_TDR_DIV_1); // 500 ticks left at 1 ns each
            assertEquals(1_500, apic.nextTimerExpiryNs());
            m.runUntil(1_499);
            assertEquals(0, apic.timerExpiries());
            m.runUntil(1_500);
            assertEquals(1_500, apic.lastTimerExpiryNs());
        }
    }

    @Test
    void tscDeadlineModeIsNotArmed() {
        try (StubMachine m = bootedCpu()) {
            LocalApic apic = m.apic(0);
            apic.write(APIC_LVTT, LOCAL_TIMER_VECTOR | APIC_LVT_TIMER_TSCDEADLINE);
            apic.write(APIC_TMICT, 10);
            assertEquals(0, apic.read(APIC_TMICT), "initial-count writes are ignored in TSC-deadline mode");
            m.runUntil(1_000);
            assertEquals(0, apic.timerExpiries());
        }
    }
}
