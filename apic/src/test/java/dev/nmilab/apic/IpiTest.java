package dev.nmilab.apic;

import static dev.nmilab.apic.ApicDef.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nmilab.smp.Scheduler;
import dev.nmilab.x86.Cpu;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** MMIO from instructions, ICR IPIs from a stub and from Java. */
class IpiTest {

    @Test
    void eachCpuReadsItsOwnApicIdAtTheSameAddress() {
        try (StubMachine m = new StubMachine(2)) {
            assertEquals(Scheduler.Outcome.ALL_HALTED, m.runToHalt().outcome());
            assertArrayEquals(new int[] {0, 1}, m.readInts("apic_id_seen", 2));
        }
    }

    @Test
    void anIdWrittenFromJavaIsWhatTheCpuReads() {
        try (StubMachine m = new StubMachine(2)) {
            m.apic(1).write(APIC_ID, 7 << 24);
            m.runToHalt();
            assertArrayEquals(new int[] {0, 7}, m.readInts("apic_id_seen", 2));
        }
    }

    @Test
    void stubOnCpu0SendsFixedIpiToCpu1AndNmiToAllButSelf() {
        try (StubMachine m = new StubMachine(4)) {
            m.bus.linuxBootSetupAll(ExtNmi.BSP);
            m.script(0, StubMachine.SEND_IPIS);

            assertEquals(Scheduler.Outcome.ALL_HALTED, m.runToHalt().outcome());

            assertArrayEquals(new int[] {0, 1, 0, 0}, m.readInts("irq_count", 4), "vector 0x40 on CPU 1 only");
            assertArrayEquals(new int[] {0x40}, m.irqLog());
            assertArrayEquals(new int[] {0, 1, 1, 1}, m.readInts("nmi_count", 4), "NMI on all but CPU 0");
            assertEquals(APIC_DEST_ALLBUT | APIC_DM_NMI, m.readInt("icr_read_back", 0), "delivery status idle");
            assertFalse(m.apic(1).inService(0x40), "the handler's EOI retired it");
            assertEquals(1, m.apic(1).eois());
            assertEquals(2, m.apic(0).ipisSent());
            assertEquals(2, m.apic(1).ipisReceived());
            assertEquals(1, m.machine.cpu(2).nmisDelivered());
        }
    }

    @Test
    void javaSendersFollowLinuxPrepareIcr() {
        try (StubMachine m = new StubMachine(3)) {
            m.bus.linuxBootSetupAll(ExtNmi.BSP);
            BitSet mask = new BitSet();
            mask.set(1);
            mask.set(2);
            m.bus.sendIpiMask(0, mask, 0x40);
            m.bus.sendIpiAllButSelf(2, NMI_VECTOR);

            m.runToHalt();

            assertArrayEquals(new int[] {0, 1, 1}, m.readInts("irq_count", 3));
            assertArrayEquals(new int[] {1, 1, 0}, m.readInts("nmi_count", 3), "vector 2 went as an NMI");
            assertEquals(APIC_DEST_ALLBUT | APIC_DM_NMI, m.apic(2).read(APIC_ICR));
            assertEquals(2 << 24, m.apic(0).read(APIC_ICR2), "ICR2 holds the last destination");
        }
    }

    @Test
    void fixedIpiToSoftwareDisabledApicIsNotAccepted() {
        try (StubMachine m = new StubMachine(2)) {
            m.apic(0).linuxBootSetup();
            m.bus.sendIpi(0, Shorthand.NONE, 1, DeliveryMode.FIXED, 0x40);
            m.runToHalt();
            assertEquals(0, m.readInt("irq_count", 1));
            assertEquals(1, m.apic(1).fixedRejected());
        }
    }

    @Test
    void logicalFlatDestinationsMatchLdrBits() {
        try (StubMachine m = new StubMachine(3)) {
            m.bus.linuxBootSetupAll(ExtNmi.BSP);
            for (int cpu = 0; cpu < 3; cpu++) {
                m.apic(cpu).write(APIC_LDR, (1 << cpu) << 24);
            }
            m.apic(0).write(APIC_ICR2, 0x06 << 24);
            m.apic(0).write(APIC_ICR, APIC_DEST_LOGICAL | 0x40);
            m.runToHalt();
            assertArrayEquals(new int[] {0, 1, 1}, m.readInts("irq_count", 3));
        }
    }

    @Test
    void lowestPriorityGoesToTheLowestPpr() {
        try (StubMachine m = new StubMachine(3)) {
            m.bus.linuxBootSetupAll(ExtNmi.BSP);
            m.apic(0).write(APIC_TASKPRI, 0x30);
            m.apic(1).write(APIC_TASKPRI, 0x20);
            m.apic(2).write(APIC_TASKPRI, 0x10);
            m.apic(0).write(APIC_ICR, APIC_DEST_ALLINC | APIC_DM_LOWEST | 0x40);
            m.runToHalt();
            assertArrayEquals(new int[] {0, 0, 1}, m.readInts("irq_count", 3));
        }
    }

    @Test
    void initIsRecordedAndTheTargetRunsOn() {
        try (StubMachine m = new StubMachine(2)) {
            m.bus.sendIpi(0, Shorthand.NONE, 1, DeliveryMode.INIT, 0);
            m.runToHalt();
            assertEquals(1, m.apic(1).initsReceived());
            assertEquals(1, m.notes("apic_init"));
            assertEquals(Cpu.State.HALTED, m.machine.cpu(1).state(), "CPU 1 ran its script to hlt, not reset");
            assertEquals(1, m.readInt("apic_id_seen", 1));
        }
    }
}
