package dev.nmilab.kernel.printk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.testing.BootedKernel;
import org.junit.jupiter.api.Test;

/** printk with a printer kthread: storing only, the console's queue, the backlog inside printk, dropped CPUs. */
class ThreadedConsoleTest {
    private static final long MS = 1_000_000L;

    @Test
    void printkOnlyStoresAndWakesThePrinterWhichEmitsInOrder() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(2, "console=ttyS0,115200")) {
            Printk printk = kernel.runtime().services().printk();
            int[] wakeups = {0};
            printk.useConsoleThread(() -> wakeups[0]++);
            long before = printk.serialConsole().queued().size();
            long first = printk.newestSequence() + 1;

            printk.printk(0, LogLevel.KERN_INFO, "one");
            printk.printk(1, LogLevel.KERN_DEBUG, "quiet");
            printk.printk(1, LogLevel.KERN_ERR, "two");

            assertEquals(3, wakeups[0]);
            assertTrue(printk.consoleThreaded());
            assertEquals(first + 2, printk.newestSequence());
            assertEquals(before, printk.serialConsole().queued().size(), "nothing reached the UART by itself");
            while (printk.nextForConsole().isPresent() && printk.nextForConsole().get().sequence() < first) {
                printk.emitNext(1, 0); // boot messages
            }
            assertEquals("one", printk.nextForConsole().orElseThrow().text());
            assertEquals("one", textOf(printk.emitNext(1, 5 * MS)));
            assertNull(printk.emitNext(1, 6 * MS), "KERN_DEBUG is below the console loglevel: skipped");
            SerialConsole.Line two = printk.emitNext(1, 7 * MS);
            assertTrue(two.text().endsWith("two") && two.sentNs() > 7 * MS, two.toString());
            assertFalse(printk.nextForConsole().isPresent());
        }
    }

    @Test
    void theBacklogInsidePrintkCountsWhatWasStoredButNotHandedOnAtThatMoment() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(1, "console=ttyS0,115200")) {
            Printk printk = kernel.runtime().services().printk();
            printk.useConsoleThread(() -> { });
            while (printk.nextForConsole().isPresent()) {
                printk.emitNext(0, 0);
            }
            kernel.runUntil(2 * MS);
            printk.printk(0, LogLevel.KERN_INFO, "a"); // stored at 2 ms
            printk.printk(0, LogLevel.KERN_INFO, "b");
            long now = kernel.machine().cpu(0).now();

            assertEquals(0, printk.unhandedAt(now).lines(), "stored at that very moment: not yet behind");
            assertEquals(2, printk.unhandedAt(now + 1).lines());
            printk.emitNext(0, now + 10);
            assertEquals(2, printk.unhandedAt(now + 5).lines(), "handed on later than the moment asked about");
            assertEquals(1, printk.unhandedAt(now + 20).lines());
        }
    }

    @Test
    void recordsFromDroppedCpusAreNeverStored() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(2, "")) {
            Printk printk = kernel.runtime().services().printk();
            printk.dropRecordsFrom(cpu -> cpu == 1);
            long newest = printk.newestSequence();

            printk.printk(1, LogLevel.KERN_EMERG, "from CPU 1");
            assertEquals(newest, printk.newestSequence());
            printk.printk(0, LogLevel.KERN_EMERG, "from CPU 0");
            assertEquals(newest + 1, printk.newestSequence());
        }
    }

    private static String textOf(SerialConsole.Line line) {
        return line.text().substring(line.text().indexOf("] ") + 2);
    }
}
