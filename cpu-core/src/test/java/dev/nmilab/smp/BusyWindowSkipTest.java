package dev.nmilab.smp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.task.Action;
import dev.nmilab.kernel.task.TaskBody;
import dev.nmilab.kernel.testing.BootedKernel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Windows in which every CPU only idles or spends Java busy time run as one: the same run with
 * and without that skip sees every step, wake-up and deadline window end at the same virtual
 * time, in far fewer windows.
 */
class BusyWindowSkipTest {
    private static final long MS = 1_000_000L;

    private record Run(List<String> log, long windows, long endNs) {
    }

    private static TaskBody script(List<String> log, String name, Action... actions) {
        int[] step = {0};
        return context -> {
            int index = step[0]++;
            log.add(name + " step " + index + " at " + context.now() + " on CPU " + context.processorId());
            return index < actions.length ? actions[index] : new Action.Exit();
        };
    }

    private static Run run(boolean skip) throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(3, "")) {
            Scheduler scheduler = kernel.machine().scheduler();
            scheduler.setSkipBusyWindows(skip);
            List<String> log = new ArrayList<>();
            // a panic-like CPU: long mdelay()s, then a short odd one; a sleeper waking between them
            kernel.tasks().spawnKthread("busy", 0, "busy_fn", script(log, "busy",
                    new Action.Busy(1_500 * MS), new Action.Busy(1_000 * MS + 12_345), new Action.Busy(7_777)));
            kernel.tasks().spawnKthread("sleeper", 1, "sleeper_fn", script(log, "sleeper",
                    new Action.Sleep(1_234 * MS + 567)));
            // a window-end check that has work from 2.2 s on (a perf counter's overflow, say)
            long due = 2_200 * MS + 4_321;
            boolean[] seen = {false};
            scheduler.windowEndDeadline(() -> seen[0] ? Long.MAX_VALUE : due); // MAX: nothing more to check
            scheduler.onWindowEnd(() -> {
                if (!seen[0] && scheduler.now() >= due) {
                    seen[0] = true;
                    log.add("deadline window ends at " + scheduler.now());
                }
            });
            Scheduler.RunResult result = kernel.runUntil(4_000 * MS);
            return new Run(log, scheduler.windows(), result.timeNs());
        }
    }

    @Test
    void skippingBusyWindowsChangesNothingButTheirNumber() throws Exception {
        Run stepped = run(false);
        Run skipped = run(true);
        assertEquals(stepped.log(), skipped.log());
        assertEquals(stepped.endNs(), skipped.endNs());
        // the sleeper's wake-up at 1,234,000,567 ns re-aligned the windows: the deadline's check
        // falls on the first window end after 2.2 s, less than a quantum late
        assertTrue(stepped.log().contains("deadline window ends at 2200010567"), stepped.log().toString());
        assertTrue(stepped.log().contains("busy step 1 at 1500000000 on CPU 0"), stepped.log().toString());
        assertTrue(stepped.log().contains("busy step 3 at 2500020122 on CPU 0"), stepped.log().toString());
        assertTrue(stepped.windows() > 200_000, "stepped through " + stepped.windows() + " windows");
        assertTrue(skipped.windows() < 100, "skipped down to " + skipped.windows() + " windows");
    }
}
