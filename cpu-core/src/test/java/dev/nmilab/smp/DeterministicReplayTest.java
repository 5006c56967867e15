package dev.nmilab.smp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.event.CpuEvent;
import dev.nmilab.x86.StubRun;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Same stub and injections in two fresh machines: the same events, byte for byte. */
class DeterministicReplayTest {
    private static final String SOURCE = """
            #include <nmilab.h>
            	.text
            SYM_CODE_START(_start)
            	mov	$3000, %ecx
            1:	lock incq shared_counter(%rip)	/* both CPUs hammer one line */
            	dec	%ecx
            	jnz	1b
            	mov	shared_counter(%rip), %rbx
            	hlt
            SYM_CODE_END(_start)
            SYM_CODE_START(asm_exc_nmi)
            	incq	nmi_count(%rip)
            	int3
            	iretq
            SYM_CODE_END(asm_exc_nmi)
            SYM_CODE_START(asm_exc_int3)
            	iretq
            SYM_CODE_END(asm_exc_int3)
            SYM_CODE_START(asm_common_interrupt)
            	iretq
            SYM_CODE_END(asm_common_interrupt)
            	.data
            shared_counter:	.quad 0
            nmi_count:	.quad 0
            """;
    private static final String[] INJECTIONS = {
        "nmi@500", "nmi@503", "nmi@700:cpu1", "irq:0x30@2000:cpu1", "nmi@asm_exc_int3:cpu1", "mce@9000",
    };

    private static String runOnce(String... injections) {
        try (StubRun run = StubRun.start(2, SOURCE, injections)) {
            run.machine().scheduler().setQuantum(97); // many windows, so the CPUs interleave often
            run.run(100_000);
            return run.log().toJsonLines();
        }
    }

    @Test
    void twoCpuRunWithInjectionsReplaysToIdenticalEventLog() {
        String first = runOnce(INJECTIONS);
        String second = runOnce(INJECTIONS);
        assertEquals(first, second);

        Set<Integer> cpus = first.lines().map(line -> line.replaceAll(".*\"cpu\":(\\d+).*", "$1"))
                .map(Integer::valueOf).collect(Collectors.toSet());
        assertEquals(Set.of(0, 1), cpus, "both CPUs contributed events");
        assertTrue(first.contains("\"type\":\"exception\""));
        assertTrue(first.contains("\"type\":\"shutdown\""), "the #MC without a handler ends in a triple fault");
    }

    @Test
    void theLogReflectsTheInjectionsSoTheComparisonCanFail() {
        String[] moved = INJECTIONS.clone();
        moved[0] = "nmi@501";
        assertNotEquals(runOnce(INJECTIONS), runOnce(moved));
    }

    @Test
    void sharedCounterSumsBothCpusAndEventsAreInTimeOrderPerCpu() {
        try (StubRun run = StubRun.start(2, SOURCE)) {
            run.machine().scheduler().setQuantum(97);
            assertEquals(Scheduler.Outcome.ALL_HALTED, run.run(100_000).outcome());
            assertEquals(6000, run.data("shared_counter"));
            for (int cpu = 0; cpu < 2; cpu++) {
                final int index = cpu;
                long[] times = run.log().events().stream().filter(e -> e.cpu() == index)
                        .mapToLong(CpuEvent::timeNs).toArray();
                for (int i = 1; i < times.length; i++) {
                    assertTrue(times[i - 1] <= times[i], "cpu" + cpu + " time went backwards");
                }
            }
        }
    }
}
