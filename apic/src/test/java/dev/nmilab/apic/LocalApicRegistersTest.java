package dev.nmilab.apic;

import static dev.nmilab.apic.ApicDef.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.smp.Machine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Register reads and writes from Java, on APICs attached to real engines. */
class LocalApicRegistersTest {
    private Machine machine;
    private ApicBus bus;

    @BeforeEach
    void attach() {
        machine = new Machine(2, 64L << 20);
        machine.createCpus();
        bus = ApicBus.attach(machine);
    }

    @AfterEach
    void close() {
        machine.close();
    }

    @Test
    void resetValuesAreTheSdmPowerUpState() {
        for (int cpu = 0; cpu < 2; cpu++) {
            LocalApic apic = bus.apic(cpu);
            assertEquals(cpu << 24, apic.read(APIC_ID), "ID is the CPU index");
            assertEquals(0x0005_0014, apic.read(APIC_LVR));
            assertEquals(0, apic.read(APIC_TASKPRI));
            assertEquals(0, apic.read(APIC_PROCPRI));
            assertEquals(0, apic.read(APIC_LDR));
            assertEquals(0xffff_ffff, apic.read(APIC_DFR));
            assertEquals(0xff, apic.read(APIC_SPIV), "software-disabled, spurious vector 0xff");
            assertFalse(apic.enabled());
            assertEquals(0, apic.read(APIC_ESR));
            assertEquals(0, apic.read(APIC_ICR));
            assertEquals(0, apic.read(APIC_ICR2));
            for (int lvt = APIC_LVTT; lvt <= APIC_LVTERR; lvt += 0x10) {
                assertEquals(APIC_LVT_MASKED, apic.read(lvt), String.format("LVT 0x%x", lvt));
            }
            assertEquals(0, apic.read(APIC_TMICT));
            assertEquals(0, apic.read(APIC_TMCCT));
            assertEquals(0, apic.read(APIC_TDCR));
            for (int i = 0; i < 8; i++) {
                assertEquals(0, apic.read(APIC_ISR + 0x10 * i));
                assertEquals(0, apic.read(APIC_TMR + 0x10 * i));
                assertEquals(0, apic.read(APIC_IRR + 0x10 * i));
            }
        }
    }

    @Test
    void lvtEntriesKeepOnlyTheirBitsAndStayMaskedWhileSoftwareDisabled() {
        LocalApic apic = bus.apic(0);
        apic.write(APIC_LVT1, APIC_DM_NMI);
        assertEquals(APIC_DM_NMI | APIC_LVT_MASKED, apic.read(APIC_LVT1), "mask cannot be cleared while disabled");

        apic.write(APIC_SPIV, APIC_SPIV_APIC_ENABLED | 0xff);
        assertTrue(apic.enabled());
        apic.write(APIC_LVT1, APIC_DM_NMI);
        assertEquals(APIC_DM_NMI, apic.read(APIC_LVT1));
        apic.write(APIC_LVTT, 0xffff_ffff);
        assertEquals(0x0007_00ff, apic.read(APIC_LVTT), "vector, mask, timer mode");
        apic.write(APIC_LVT0, 0xffff_ffff);
        assertEquals(0x0001_a7ff, apic.read(APIC_LVT0), "delivery status and remote IRR read 0");
        apic.write(APIC_LVTPC, 0xffff_ffff);
        assertEquals(0x0001_07ff, apic.read(APIC_LVTPC));
        apic.write(APIC_LVTERR, 0xffff_ffff);
        assertEquals(0x0001_00ff, apic.read(APIC_LVTERR));

        apic.write(APIC_SPIV, 0xff);
        assertEquals(APIC_DM_NMI | APIC_LVT_MASKED, apic.read(APIC_LVT1), "disabling masks every entry");
    }

    @Test
    void tprAndInServiceVectorsMakeThePpr() {
        LocalApic apic = bus.apic(0);
        apic.write(APIC_SPIV, 0x1ff);
        apic.write(APIC_TASKPRI, 0x35);
        assertEquals(0x35, apic.read(APIC_PROCPRI));

        apic.accept(0x61);
        assertTrue(apic.inService(0x61), "class 6 beats PPR class 3");
        assertEquals(0x60, apic.read(APIC_PROCPRI), "ISRV class above TPR class");
        assertEquals(1 << 1, apic.read(APIC_ISR + 0x30), "vector 0x61 is bit 1 of ISR word 3");

        apic.write(APIC_TASKPRI, 0x70);
        assertEquals(0x70, apic.read(APIC_PROCPRI));
        apic.accept(0x45);
        assertTrue(apic.requested(0x45));
        assertEquals(1 << 5, apic.read(APIC_IRR + 0x20), "0x45 waits in IRR word 2");

        apic.write(APIC_EOI, 0);
        assertFalse(apic.inService(0x61));
        assertTrue(apic.requested(0x45), "still below TPR");
        apic.write(APIC_TASKPRI, 0);
        assertTrue(apic.inService(0x45));
        assertFalse(apic.requested(0x45));
    }

    @Test
    void irrWordsCoverAllVectors() {
        LocalApic apic = bus.apic(1);
        apic.write(APIC_SPIV, 0x1ff);
        apic.write(APIC_TASKPRI, 0xff);
        for (int vector : new int[] {0x20, 0x3f, 0x80, 0xff}) {
            apic.accept(vector);
        }
        assertEquals(0x8000_0001, apic.read(APIC_IRR + 0x10));
        assertEquals(1, apic.read(APIC_IRR + 0x40));
        assertEquals(0x8000_0000, apic.read(APIC_IRR + 0x70));
        assertEquals(0, apic.interruptsDelivered(), "TPR 0xff blocks every class");
    }

    @Test
    void errorsBecomeVisibleInEsrAfterTheNextWrite() {
        LocalApic apic = bus.apic(0);
        apic.write(APIC_SPIV, 0x1ff);
        apic.write(APIC_ICR, APIC_DEST_SELF | 5); // Fixed with an illegal vector
        assertEquals(0, apic.read(APIC_ESR), "not visible before the ESR write");
        apic.write(APIC_ESR, 0);
        assertEquals(APIC_ESR_SENDILL, apic.read(APIC_ESR));
        apic.write(APIC_ESR, 0);
        assertEquals(0, apic.read(APIC_ESR));

        assertEquals(0, apic.read(0x40), "reserved register reads 0");
        apic.write(APIC_ESR, 0);
        assertEquals(APIC_ESR_ILLREGA, apic.read(APIC_ESR));

        apic.write(APIC_LVR, 0);
        assertEquals(LocalApic.VERSION, apic.read(APIC_LVR), "version is read-only");
    }

    @Test
    void anErrorRaisesTheLvtErrorVector() {
        LocalApic apic = bus.apic(0);
        apic.write(APIC_SPIV, 0x1ff);
        apic.write(APIC_TASKPRI, 0xf0); // keep it in IRR where it can be seen
        apic.write(APIC_LVTERR, ERROR_APIC_VECTOR);
        apic.read(0x3f0);
        assertTrue(apic.requested(ERROR_APIC_VECTOR));
    }

    @Test
    void narrowAndWideMmioAccessesSeeTheRegisterBytes() {
        LocalApic apic = bus.apic(1);
        apic.mmioWrite(APIC_TASKPRI, 1, 0x20);
        assertEquals(0x20, apic.read(APIC_TASKPRI), "a byte store merges into the register");
        assertEquals(0x01, apic.mmioRead(APIC_ID + 3, 1), "byte 3 of the ID register");
        assertEquals(0x0005_0014L, apic.mmioRead(APIC_LVR, 8), "bytes 4-7 of a slot read 0");
        assertEquals(0, apic.mmioRead(APIC_LVR + 4, 4));
        apic.mmioWrite(APIC_TASKPRI + 4, 4, 0x80);
        assertEquals(0x20, apic.read(APIC_TASKPRI), "stores beyond the register are ignored");
    }

    @Test
    void divideConfigurationDecodes() {
        int[][] table = {{APIC_TDR_DIV_1, 1}, {APIC_TDR_DIV_2, 2}, {APIC_TDR_DIV_4, 4}, {APIC_TDR_DIV_8, 8},
            {APIC_TDR_DIV_16, 16}, {APIC_TDR_DIV_32, 32}, {APIC_TDR_DIV_64, 64}, {APIC_TDR_DIV_128, 128}};
        for (int[] row : table) {
            assertEquals(row[1], LocalApic.divisor(row[0]), "TDCR 0x" + Integer.toHexString(row[0]));
        }
        LocalApic apic = bus.apic(0);
        apic.write(APIC_TDCR, 0xffff_ffff);
        assertEquals(0xb, apic.read(APIC_TDCR), "bits 0, 1 and 3 only");
    }

    @Test
    void linuxBootSetupLeavesLinuxValues() {
        bus.linuxBootSetup(0);
        bus.linuxBootSetup(1);
        for (int cpu = 0; cpu < 2; cpu++) {
            LocalApic apic = bus.apic(cpu);
            assertEquals(0x10, apic.read(APIC_TASKPRI));
            assertEquals(0x1ff, apic.read(APIC_SPIV));
            assertEquals(APIC_DM_NMI, apic.read(APIC_LVTPC));
            assertEquals(APIC_DM_EXTINT | APIC_LVT_MASKED, apic.read(APIC_LVT0));
            assertEquals(ERROR_APIC_VECTOR, apic.read(APIC_LVTERR));
            assertEquals(LOCAL_TIMER_VECTOR, apic.read(APIC_LVTT));
            assertEquals(APIC_TDR_DIV_16, apic.read(APIC_TDCR));
            assertEquals(APIC_LVT_MASKED, apic.read(APIC_LVTTHMR));
        }
        assertEquals(APIC_DM_NMI, bus.apic(0).read(APIC_LVT1), "the BSP sees LINT1");
        assertEquals(APIC_DM_NMI | APIC_LVT_MASKED, bus.apic(1).read(APIC_LVT1), "APs do not");
    }

    @Test
    void resetRestoresPowerUpState() {
        LocalApic apic = bus.apic(1);
        apic.linuxBootSetup();
        apic.accept(0x40);
        apic.reset();
        assertEquals(0xff, apic.read(APIC_SPIV));
        assertEquals(APIC_LVT_MASKED, apic.read(APIC_LVTPC));
        assertEquals(-1, apic.highestInService());
        assertEquals(1 << 24, apic.read(APIC_ID));
    }

    @Test
    void badOffsetsAndVectorsAreRejected() {
        LocalApic apic = bus.apic(0);
        assertThrows(IllegalArgumentException.class, () -> apic.read(0x24));
        assertThrows(IllegalArgumentException.class, () -> apic.write(0x1000, 0));
        assertThrows(IllegalArgumentException.class, () -> apic.accept(256));
        assertThrows(IllegalArgumentException.class, () -> bus.apic(2));
    }

    @Test
    void attachNeedsCpus() {
        try (Machine bare = new Machine(1, 64L << 20)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ApicBus.attach(bare));
            assertTrue(e.getMessage().contains("createCpus"), e.getMessage());
        }
    }
}
