package dev.nmilab.kernel.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nmilab.kernel.testing.BootedKernel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kernel/workqueue.c, reduced: queue_work_on runs items in order on that CPU's kworker. */
class WorkqueueTest {
    @Test
    void workRunsInOrderOnTheChosenCpusKworkerAndTakesItsTime() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(2, "")) {
            Workqueue queue = new Workqueue("events", kernel.tasks(), 2);
            List<String> ran = new ArrayList<>();
            kernel.machine().scheduler().at(10_000, () -> {
                queue.queueWorkOn(1, context -> {
                    ran.add("a@cpu" + context.processorId() + "@" + context.now() + " by " + context.task().comm());
                    return 5_000;
                });
                queue.queueWorkOn(1, context -> {
                    ran.add("b@cpu" + context.processorId() + "@" + context.now());
                    return 1;
                });
            });
            kernel.runUntil(100_000);
            assertEquals(2, queue.completed());
            assertEquals(List.of("a@cpu1@10000 by kworker/1:0", "b@cpu1@15000"), ran);
            assertEquals(TaskState.UNINTERRUPTIBLE, queue.worker(1).state(), "idle kworkers wait for work");
        }
    }
}
