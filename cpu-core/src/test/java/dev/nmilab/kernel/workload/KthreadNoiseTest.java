package dev.nmilab.kernel.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.testing.BootedKernel;
import dev.nmilab.scenario.ScenarioTask;
import dev.nmilab.scenario.SourceLocation;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** kthread-noise.c as the talk runs it: one message per jiffy per thread, on its own CPU. */
class KthreadNoiseTest {
    @Test
    void fourThreadsPrintAboutOneMessagePerMillisecondEachOnTheirOwnCpus() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(4, "")) {
            var printk = kernel.runtime().services().printk();
            printk.useConsoleThread(() -> { }); // store only: count what was printed, not what the UART managed
            new KthreadNoise().spawn(kernel.runtime(), new ScenarioTask(KthreadNoise.NAME, OptionalInt.of(0),
                    Optional.empty(), new KthreadNoise.Spec(4, 2_000), new SourceLocation("test", 1, 1, Optional.empty())));
            kernel.runUntil(10_000_000);
            java.util.List<String> stored = new java.util.ArrayList<>();
            while (printk.nextForConsole().isPresent()) {
                stored.add(printk.nextForConsole().get().text());
                printk.emitNext(0, 0);
            }
            int[] perCpu = new int[4];
            for (String line : stored) {
                for (int cpu = 0; cpu < 4; cpu++) {
                    if (line.endsWith("from CPU " + cpu) && line.contains("kthread-noise/" + cpu + ":")) {
                        perCpu[cpu]++;
                    }
                }
            }
            // 10 ms, one message then a 1 ms sleep each: the sleep ends at a scheduler window, so 9 or 10
            for (int cpu = 0; cpu < 4; cpu++) {
                assertTrue(perCpu[cpu] >= 9 && perCpu[cpu] <= 10, Arrays.toString(perCpu));
            }
            assertEquals("knoise/2", kernel.tasks().tasks().get(2).comm());
        }
    }
}
