package dev.nmilab.kernel.printk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.task.Action;
import dev.nmilab.kernel.testing.BootedKernel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 6.1's legacy printk path: the caller writes the console itself and hands console_lock to one waiter. */
class ConsoleHandOverTest {
    private static final long MS = 1_000_000L;

    private static void printer(BootedKernel kernel, int cpu, long after, String... lines) {
        int[] step = {0};
        kernel.tasks().spawnKthread("p" + cpu, cpu, "printer_fn", context -> switch (step[0]++) {
            case 0 -> new Action.Sleep(after);
            case 1 -> {
                for (String line : lines) {
                    context.printk(line);
                }
                yield new Action.Busy(1_000);
            }
            default -> new Action.Exit();
        });
    }

    @Test
    void theHolderWritesOneLineThenTheWaiterTakesOverAndAThirdCallerJustStores() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(3, "console=ttyS0,115200")) {
            SerialConsole console = kernel.runtime().services().printk().serialConsole();
            int before = console.queued().size();
            printer(kernel, 0, 1 * MS, "a1 from the first caller", "a2 from the first caller");
            printer(kernel, 1, 2 * MS, "b1 from the waiter");
            printer(kernel, 2, 3 * MS, "c1 from a caller who found a waiter");
            kernel.runUntil(40 * MS);

            List<SerialConsole.Line> lines = console.queued().subList(before, console.queued().size());
            List<String> who = new ArrayList<>();
            for (SerialConsole.Line line : lines) {
                who.add(line.cpu() + ":" + line.text().substring(line.text().indexOf("] ") + 2, line.text().indexOf(' ',
                        line.text().indexOf("] ") + 2)));
            }
            // CPU 0 writes a1 (about 2.6 ms) while CPU 1 queues up as the waiter; CPU 1 gets the lock
            // after a1 and writes the rest, c1 included; CPU 2 never touched the console
            assertEquals(List.of("0:a1", "1:a2", "1:b1", "1:c1"), who);
            // one line at a time, up to the scheduling quantum (10 us) CPUs may be apart within a window
            long gap = lines.get(1).queuedNs() - lines.get(0).sentNs();
            assertTrue(gap > -10_000 && gap < 100_000, "a2 starts when a1 is out: " + gap + " ns");
            assertTrue(kernel.runtime().services().printk().nextForConsole().isEmpty());
        }
    }
}
