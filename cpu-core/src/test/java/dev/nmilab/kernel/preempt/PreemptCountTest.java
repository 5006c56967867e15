package dev.nmilab.kernel.preempt;

import static dev.nmilab.kernel.preempt.PreemptCount.HARDIRQ_OFFSET;
import static dev.nmilab.kernel.preempt.PreemptCount.NMI_OFFSET;
import static dev.nmilab.kernel.preempt.PreemptCount.PREEMPT_OFFSET;
import static dev.nmilab.kernel.preempt.PreemptCount.SOFTIRQ_DISABLE_OFFSET;
import static dev.nmilab.kernel.preempt.PreemptCount.SOFTIRQ_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreemptCountTest {

    @Test
    void layoutMatchesPreemptH() {
        assertEquals(0x0000_00ff, PreemptCount.PREEMPT_MASK);
        assertEquals(0x0000_ff00, PreemptCount.SOFTIRQ_MASK);
        assertEquals(0x000f_0000, PreemptCount.HARDIRQ_MASK);
        assertEquals(0x00f0_0000, PreemptCount.NMI_MASK);
        assertEquals(0x1, PREEMPT_OFFSET);
        assertEquals(0x100, SOFTIRQ_OFFSET);
        assertEquals(0x200, SOFTIRQ_DISABLE_OFFSET);
        assertEquals(0x1_0000, HARDIRQ_OFFSET);
        assertEquals(0x10_0000, NMI_OFFSET);
        assertEquals(20, PreemptCount.NMI_SHIFT);
        assertEquals(0x8000_0001, PreemptCount.PREEMPT_DISABLED);
        assertEquals(1, PreemptCount.INIT_PREEMPT_COUNT);
    }

    /** Columns: count, in_nmi, in_hardirq, in_serving_softirq, in_softirq, in_interrupt, in_task, level. */
    @ParameterizedTest(name = "0x{0}")
    @CsvSource({
        "00000000, false, false, false, false, false, true, 0",
        "00000003, false, false, false, false, false, true, 0",
        "00000200, false, false, false, true, true, true, 0",
        "00000100, false, false, true, true, true, false, 1",
        "00010000, false, true, false, false, true, false, 2",
        "00110000, true, true, false, false, true, false, 3",
        "00f00000, true, false, false, false, true, false, 3",
        "00210101, true, true, true, true, true, false, 3"})
    void contextTests(String hex, boolean nmi, boolean hardirq, boolean servingSoftirq, boolean softirq,
            boolean interrupt, boolean task, int level) {
        int count = Integer.parseUnsignedInt(hex, 16);
        assertEquals(nmi, PreemptCount.inNmi(count));
        assertEquals(hardirq, PreemptCount.inIrq(count));
        assertEquals(hardirq, PreemptCount.inHardirq(count));
        assertEquals(servingSoftirq, PreemptCount.inServingSoftirq(count));
        assertEquals(softirq, PreemptCount.inSoftirq(count));
        assertEquals(interrupt, PreemptCount.inInterrupt(count));
        assertEquals(task, PreemptCount.inTask(count));
        assertEquals(level, PreemptCount.interruptContextLevel(count));
    }

    @Test
    void nmiCountIsUnshiftedAndNestingIsShifted() {
        int twoNmis = 2 * (NMI_OFFSET + HARDIRQ_OFFSET);
        assertEquals(0x20_0000, PreemptCount.nmiCount(twoNmis));
        assertEquals(2, PreemptCount.nmiNesting(twoNmis));
        assertEquals(0x2_0000, PreemptCount.hardirqCount(twoNmis));
        assertEquals(0x22_0000, PreemptCount.irqCount(twoNmis | 0x5));
    }

    @Test
    void inAtomicIgnoresTheX86NeedReschedBit() {
        assertFalse(PreemptCount.inAtomic(PreemptCount.PREEMPT_ENABLED));
        assertTrue(PreemptCount.inAtomic(PreemptCount.PREEMPT_DISABLED));
    }
}
