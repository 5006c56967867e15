package dev.nmilab.nmi;

import static dev.nmilab.nmi.NmiTestKernel.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.percpu.PerCpuArea;
import dev.nmilab.kernel.preempt.PerCpuPreemptCount;
import dev.nmilab.kernel.preempt.PreemptCount;
import dev.nmilab.x86.Vector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * exc_nmi's irqentry_nmi_enter/irqentry_nmi_exit (kernel/entry/common.c, 6.1) on the per-CPU
 * preempt_count: in_nmi() inside do_nmi, back to what it was after; the BUG_ON(in_nmi() == NMI_MASK)
 * of __nmi_enter becomes a real ud2 that goes through the IDT as #UD.
 */
class NmiPreemptCountTest {

    private static PerCpuPreemptCount preempt(NmiTestKernel kernel, int cpu) {
        return PerCpuArea.preemptCount(kernel.machine.kernelSpace(), cpu);
    }

    @Test
    void handlerRunsInNmiContextAndTheCountIsRestoredAfter() throws Exception {
        try (NmiTestKernel kernel = NmiTestKernel.boot(2)) {
            int before = preempt(kernel, 1).value();
            List<Integer> seen = new ArrayList<>();
            kernel.handlers().registerNmiHandler(NmiType.NMI_LOCAL, (type, ctx) -> {
                seen.add(preempt(kernel, ctx.processorId()).value());
                return 1;
            }, 0, "probe");
            kernel.nmiAt(1 * MS, 1);

            kernel.runUntil(2 * MS);

            assertEquals(1, seen.size());
            int inside = seen.get(0);
            assertTrue(PreemptCount.inNmi(inside), Integer.toHexString(inside));
            // __nmi_enter: preempt_count_add(NMI_OFFSET + HARDIRQ_OFFSET)
            assertEquals(before + PreemptCount.NMI_OFFSET + PreemptCount.HARDIRQ_OFFSET, inside);
            assertEquals(1, PreemptCount.nmiNesting(inside));
            int after = preempt(kernel, 1).value();
            assertEquals(before, after);
            assertFalse(PreemptCount.inNmi(after));
            assertEquals(0, preempt(kernel, 0).value() & PreemptCount.NMI_MASK, "CPU 0's count is its own");
        }
    }

    @Test
    void fullNmiNestingFieldIsARealBugThroughUd2() throws Exception {
        try (NmiTestKernel kernel = NmiTestKernel.boot(2)) {
            int[] handlerCalls = {0};
            kernel.handlers().registerNmiHandler(NmiType.NMI_LOCAL, (type, ctx) -> ++handlerCalls[0], 0, "never");
            kernel.machine.scheduler().at(1 * MS, () -> {
                PerCpuPreemptCount count = preempt(kernel, 0);
                count.set(count.raw() | PreemptCount.NMI_MASK); // fifteen NMIs already nested
                kernel.cpu(0).raiseNmi("test");
            });

            kernel.runUntil(3 * MS);

            List<String> console = kernel.consoleAfterBoot();
            int bug = console.indexOf("kernel BUG at kernel/entry/common.c:453!");
            assertTrue(bug >= 1, console.toString());
            assertEquals("------------[ cut here ]------------", console.get(bug - 1));
            assertEquals("invalid opcode: 0000 [#1] SMP NOPTI", console.get(bug + 1));
            // the #UD came in NMI context: oops_end panics
            assertEquals("Fatal exception in interrupt", kernel.outcome().panicMessage());
            assertEquals(0, kernel.outcome().panicCpu());
            assertEquals(1, kernel.cpu(0).delivered(Vector.UD));
            assertEquals(0, handlerCalls[0], "default_do_nmi never ran");
            assertEquals(0, kernel.nmi.excNmi().nmiCount(0));
        }
    }
}
