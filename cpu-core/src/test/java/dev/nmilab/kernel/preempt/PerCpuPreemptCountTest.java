package dev.nmilab.kernel.preempt;

import static dev.nmilab.kernel.preempt.PreemptCount.HARDIRQ_OFFSET;
import static dev.nmilab.kernel.preempt.PreemptCount.NMI_MASK;
import static dev.nmilab.kernel.preempt.PreemptCount.PREEMPT_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.KernelBugException;
import dev.nmilab.kernel.testing.ByteArrayGuestMemory;
import dev.nmilab.memory.GuestMemoryException;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PerCpuPreemptCountTest {
    /** Per-CPU areas one page apart, __preempt_count at the same offset in each, as the linker lays them out. */
    private static final long PER_CPU_BASE = 0xffff_8880_0000_0000L;
    private static final long PER_CPU_STRIDE = 0x1000;
    private static final long PREEMPT_COUNT_OFFSET = 0x3c0;

    private final ByteArrayGuestMemory memory = new ByteArrayGuestMemory(PER_CPU_BASE, 4 * (int) PER_CPU_STRIDE);

    private PerCpuPreemptCount cpu(int index) {
        return new PerCpuPreemptCount(memory, PER_CPU_BASE + index * PER_CPU_STRIDE + PREEMPT_COUNT_OFFSET);
    }

    /** A task knows only which CPU it runs on; its preempt_count is whatever that CPU's __preempt_count holds. */
    private record Task(int cpu) {
        int preemptCount(PerCpuPreemptCountTest machine) {
            return machine.cpu(cpu).value();
        }

        Task migrateTo(int newCpu) {
            return new Task(newCpu);
        }
    }

    @Test
    void nestedNmisCountUpAndDown() {
        PerCpuPreemptCount count = cpu(0);
        count.set(PreemptCount.PREEMPT_ENABLED);
        count.nmiEnter();
        assertTrue(PreemptCount.inNmi(count.value()));
        assertEquals(1, PreemptCount.nmiNesting(count.value()));
        count.nmiEnter();
        count.nmiEnter();
        assertEquals(3, PreemptCount.nmiNesting(count.value()));
        assertEquals(3 * HARDIRQ_OFFSET, PreemptCount.hardirqCount(count.value()));
        assertEquals(0x8033_0000, count.raw());
        count.nmiExit();
        count.nmiExit();
        assertTrue(PreemptCount.inNmi(count.value()));
        count.nmiExit();
        assertFalse(PreemptCount.inNmi(count.value()));
        assertFalse(PreemptCount.inInterrupt(count.value()));
        assertEquals(PreemptCount.PREEMPT_ENABLED, count.raw());
    }

    @Test
    void nmiExitWithoutEnterIsABug() {
        PerCpuPreemptCount count = cpu(0);
        count.set(PreemptCount.PREEMPT_ENABLED);
        KernelBugException bug = assertThrows(KernelBugException.class, count::nmiExit);
        assertEquals("kernel/entry/common.c", bug.file());
        assertEquals(OptionalInt.of(481), bug.line());
        assertEquals("!in_nmi()", bug.condition());
        assertEquals("kernel BUG at kernel/entry/common.c:481!", bug.kernelMessage());
        assertEquals("kernel BUG at kernel/entry/common.c:481! (BUG_ON(!in_nmi()))", bug.getMessage());
        assertEquals(PreemptCount.PREEMPT_ENABLED, count.raw(), "BUG_ON fires before the subtraction");
    }

    @Test
    void sixteenthNestedNmiOverflowsTheFieldAndIsABug() {
        PerCpuPreemptCount count = cpu(1);
        count.set(PreemptCount.PREEMPT_ENABLED);
        for (int i = 0; i < 15; i++) {
            count.nmiEnter();
        }
        assertEquals(NMI_MASK, PreemptCount.nmiCount(count.value()));
        int before = count.raw();
        KernelBugException bug = assertThrows(KernelBugException.class, count::nmiEnter);
        assertEquals("in_nmi() == NMI_MASK", bug.condition());
        assertEquals("kernel BUG at kernel/entry/common.c:453!", bug.kernelMessage());
        assertEquals(before, count.raw());
    }

    @Test
    void nmisInsideAHardirqCarryOutOfTheFieldsAsTheArithmeticDoes() {
        PerCpuPreemptCount count = cpu(2);
        count.set(0);
        count.irqEnter();
        for (int i = 0; i < 15; i++) {
            count.nmiEnter();
        }
        // 1 hardirq + 15 NMIs: the hardirq field carries into NMI, the NMI field into bit 24.
        assertEquals(0x0100_0000, count.value());
        assertFalse(PreemptCount.inNmi(count.value()));
        KernelBugException bug = assertThrows(KernelBugException.class, count::nmiExit);
        assertEquals("!in_nmi()", bug.condition());
    }

    @Test
    void countLivesLittleEndianAtThePerCpuAddress() {
        PerCpuPreemptCount count = cpu(0);
        count.set(0);
        count.nmiEnter();
        long address = PER_CPU_BASE + PREEMPT_COUNT_OFFSET;
        assertEquals(address, count.address());
        assertEquals(0x0011_0000, memory.readInt(address));
        assertEquals((byte) 0x11, memory.readByte(address + 2));
        memory.writeInt(address, 0x0010_0000 | HARDIRQ_OFFSET | 2);
        assertEquals(1, PreemptCount.nmiNesting(count.value()), "a write by stub code is seen by the model");
        assertEquals(2, count.value() & PreemptCount.PREEMPT_MASK);
    }

    @Test
    void twoCpusAreIndependent() {
        PerCpuPreemptCount cpu0 = cpu(0);
        PerCpuPreemptCount cpu1 = cpu(1);
        cpu0.set(PreemptCount.PREEMPT_ENABLED);
        cpu1.set(PreemptCount.PREEMPT_ENABLED);
        cpu0.nmiEnter();
        cpu0.add(PREEMPT_OFFSET);
        assertTrue(PreemptCount.inNmi(cpu0.value()));
        assertEquals(0, cpu1.value());
        cpu1.irqEnter();
        assertEquals(HARDIRQ_OFFSET, cpu1.value());
        assertEquals(0x0011_0001, cpu0.value());
        assertThrows(KernelBugException.class, cpu1::nmiExit);
        cpu0.nmiExit();
        assertEquals(PREEMPT_OFFSET, cpu0.value());
    }

    @Test
    void aMigratedTaskSeesTheCountOfItsNewCpu() {
        cpu(0).set(PreemptCount.PREEMPT_ENABLED + 2 * PREEMPT_OFFSET);
        cpu(1).set(PreemptCount.PREEMPT_ENABLED + HARDIRQ_OFFSET);
        Task task = new Task(0);
        assertEquals(2, task.preemptCount(this));
        task = task.migrateTo(1);
        assertEquals(HARDIRQ_OFFSET, task.preemptCount(this));
        assertTrue(PreemptCount.inHardirq(task.preemptCount(this)));
        cpu(1).add(PREEMPT_OFFSET);
        assertEquals(HARDIRQ_OFFSET + 1, task.preemptCount(this));
        assertEquals(2, cpu(0).value(), "CPU 0 keeps its own count after the task left");
    }

    @Test
    void needReschedIsTheInvertedTopBit() {
        PerCpuPreemptCount count = cpu(3);
        count.initIdlePreemptCount();
        assertEquals(0x8000_0001, count.raw());
        assertEquals(1, count.value());
        assertFalse(count.needResched());
        count.setNeedResched();
        assertTrue(count.needResched());
        assertEquals(1, count.raw());
        assertEquals(1, count.value());
        count.clearNeedResched();
        assertFalse(count.needResched());
        count.sub(PREEMPT_OFFSET);
        assertEquals(0, count.value());
    }

    @Test
    void anUnbackedAddressFailsThroughGuestMemory() {
        PerCpuPreemptCount nowhere = new PerCpuPreemptCount(memory, 0x1000);
        assertThrows(GuestMemoryException.class, nowhere::value);
    }
}
