package dev.nmilab.apic;

import static dev.nmilab.apic.ApicDef.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** IRR/ISR/EOI and priority classes, with handlers that EOI through MMIO. */
class PriorityTest {

    @Test
    void pendingVectorsAreDeliveredHighestFirstEachAfterTheEoi() {
        try (StubMachine m = new StubMachine(1)) {
            LocalApic apic = m.apic(0);
            apic.write(APIC_SPIV, 0x1ff);
            apic.write(APIC_TASKPRI, 0xf0);
            apic.accept(0x45);
            apic.accept(0x51);
            apic.accept(0x58);
            assertEquals(0, apic.interruptsDelivered(), "TPR 0xf0 holds everything in IRR");

            apic.write(APIC_TASKPRI, 0);
            assertTrue(apic.inService(0x58), "highest first");
            assertTrue(apic.requested(0x51), "same class as 0x58: waits for its EOI");
            assertTrue(apic.requested(0x45));
            assertEquals(0x50, apic.ppr());

            m.runToHalt();

            assertArrayEquals(new int[] {0x58, 0x51, 0x45}, m.irqLog());
            assertEquals(-1, apic.highestInService());
            assertFalse(apic.requested(0x51));
            assertEquals(3, apic.eois());
            assertEquals(3, apic.interruptsDelivered());
        }
    }

    @Test
    void aHigherClassIsHandedOverWhileALowerOneIsInService() {
        try (StubMachine m = new StubMachine(1)) {
            LocalApic apic = m.apic(0);
            apic.write(APIC_SPIV, 0x1ff);
            apic.accept(0x45);
            apic.accept(0x58);
            assertTrue(apic.inService(0x45));
            assertTrue(apic.inService(0x58), "class 5 beats PPR 0x40");
            apic.eoi();
            assertTrue(apic.inService(0x45), "EOI retires the highest in service");
            assertFalse(apic.inService(0x58));
        }
    }
}
