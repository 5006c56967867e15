package dev.nmilab.apic;

import static dev.nmilab.apic.ApicDef.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** LINT1, the platform NMI line, through the LVT. */
class LintTest {

    @Test
    void maskedLint1DropsTheNmi() {
        try (StubMachine m = new StubMachine(1)) {
            m.apic(0).assertLint1(); // reset state: LVT LINT1 masked
            m.runToHalt();
            assertEquals(0, m.readInt("nmi_count", 0));
            assertEquals(0, m.machine.cpu(0).nmisDelivered());
            assertEquals(1, m.apic(0).lint1Asserts());
            assertEquals(1, m.apic(0).lint1Dropped());
            assertEquals(1, m.notes("lint1_masked"));
        }
    }

    @Test
    void lint1InNmiModeRaisesAnNmi() {
        try (StubMachine m = new StubMachine(1)) {
            m.apic(0).write(APIC_SPIV, 0x1ff);
            m.apic(0).write(APIC_LVT1, APIC_DM_NMI);
            m.apic(0).assertLint1();
            m.runToHalt();
            assertEquals(1, m.readInt("nmi_count", 0));
            assertEquals(1, m.machine.cpu(0).nmisDelivered());
            assertEquals(0, m.apic(0).lint1Dropped());
        }
    }

    @Test
    void underLinuxOnlyTheBspSeesPlatformNmis() {
        try (StubMachine m = new StubMachine(3)) {
            m.bus.linuxBootSetupAll(ExtNmi.BSP);
            m.bus.assertLint1All();
            m.runToHalt();
            assertArrayEquals(new int[] {1, 0, 0}, m.readInts("nmi_count", 3));
            assertEquals(1, m.apic(1).lint1Dropped());
            assertEquals(1, m.apic(2).lint1Dropped());
        }
    }

    @Test
    void apicExtnmiAllOpensEveryCpu() {
        try (StubMachine m = new StubMachine(3)) {
            m.bus.linuxBootSetupAll(ExtNmi.ALL);
            m.bus.assertLint1All();
            m.runToHalt();
            assertArrayEquals(new int[] {1, 1, 1}, m.readInts("nmi_count", 3));
        }
    }

    @Test
    void apicExtnmiNoneClosesTheBspToo() {
        try (StubMachine m = new StubMachine(2)) {
            m.bus.linuxBootSetupAll(ExtNmi.NONE);
            m.bus.assertLint1All();
            m.runToHalt();
            assertArrayEquals(new int[] {0, 0}, m.readInts("nmi_count", 2));
        }
    }

    @Test
    void lint1InFixedModeRequestsItsVector() {
        try (StubMachine m = new StubMachine(1)) {
            m.apic(0).write(APIC_SPIV, 0x1ff);
            m.apic(0).write(APIC_LVT1, 0x55);
            m.apic(0).assertLint1();
            m.runToHalt();
            assertArrayEquals(new int[] {0x55}, m.irqLog());
            assertEquals(0, m.readInt("nmi_count", 0));
            assertEquals(-1, m.apic(0).highestInService(), "EOI by the handler");
        }
    }
}
