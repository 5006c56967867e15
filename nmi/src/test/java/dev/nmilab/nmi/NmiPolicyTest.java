package dev.nmilab.nmi;

import static dev.nmilab.nmi.NmiTestKernel.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.panic.KernelOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The nmimgr per-event policy (NmiPolicy, after the LKML nmimgr proposal of May 2017) on a booted
 * kernel: lists from the command line in bitmap_parselist format, checked ignore, then drop, then
 * panic, first on NMI_UNKNOWN, NMI_SERR and NMI_IO_CHECK; the event is the reason byte of port 0x61.
 */
class NmiPolicyTest {
    private static final String UHHUH = "Uhhuh. NMI received for unknown reason 00 on CPU 0.";
    private static final String DAZED = "Dazed and confused, but trying to continue";

    private static NmiTestKernel boot(String cmdline) throws Exception {
        return NmiTestKernel.boot(2, cmdline, Map.of());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "0,13,16; 0,13,16",
            "10-100; 10-100",
            "0,1,2-8,10; 0-8,10"})
    void goodListsTurnThePolicyOnAndRegisterItFirst(String list, String shown) throws Exception {
        try (NmiTestKernel kernel = boot("nmimgr.events_drop=" + list)) {
            assertEquals(List.of("nmimgr: NMI event policy on: ignore none, drop " + shown + ", panic none"),
                    kernel.consoleAfterBoot());
            for (NmiType type : List.of(NmiType.NMI_UNKNOWN, NmiType.NMI_SERR, NmiType.NMI_IO_CHECK)) {
                assertEquals(NmiPolicy.NAME, kernel.handlers().names(type).get(0), type.name());
            }
            assertFalse(kernel.handlers().names(NmiType.NMI_LOCAL).contains(NmiPolicy.NAME));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1-", "abc", "300"})
    void badListIsOneErrorNamingTheTextAndThePolicyStaysOff(String bad) throws Exception {
        try (NmiTestKernel kernel = boot("nmimgr.events_drop=" + bad)) {
            kernel.platformNmiAt(1 * MS, false, false);

            kernel.runUntil(2 * MS);

            List<String> console = kernel.consoleAfterBoot();
            assertEquals(3, console.size(), console.toString());
            String error = console.get(0);
            assertTrue(error.startsWith("nmimgr: nmimgr.events_drop=" + bad + " is not a valid event list ("), error);
            assertTrue(error.endsWith("); NMI event policy disabled"), error);
            // policy off: the normal unknown-NMI path
            assertEquals(List.of(UHHUH, DAZED), console.subList(1, 3));
            assertFalse(kernel.handlers().names(NmiType.NMI_UNKNOWN).contains(NmiPolicy.NAME));
        }
    }

    @Test
    void badListInOneKeyDisablesTheOtherKeysToo() throws Exception {
        try (NmiTestKernel kernel = boot("nmimgr.events_drop=0 nmimgr.events_panic=1-")) {
            kernel.platformNmiAt(1 * MS, false, false);

            kernel.runUntil(2 * MS);

            List<String> console = kernel.consoleAfterBoot();
            assertTrue(console.get(0).startsWith("nmimgr: nmimgr.events_panic=1- is not a valid event list"),
                    console.get(0));
            assertEquals(List.of(UHHUH, DAZED), console.subList(1, 3));
        }
    }

    @Test
    void noNmimgrParameterLeavesThePolicyOff() throws Exception {
        try (NmiTestKernel kernel = boot("")) {
            assertEquals(List.of(), kernel.consoleAfterBoot());
            assertEquals(List.of(), kernel.handlers().names(NmiType.NMI_UNKNOWN));
        }
    }

    @Test
    void droppedUnknownEventPrintsANoticeInsteadOfUhhuh() throws Exception {
        try (NmiTestKernel kernel = boot("nmimgr.events_drop=0")) {
            kernel.platformNmiAt(1 * MS, false, false);

            kernel.runUntil(2 * MS);

            assertEquals(List.of("nmimgr: NMI event policy on: ignore none, drop 0, panic none",
                    "nmimgr: NMI event 0x00 (0) on CPU 0 dropped by policy"), kernel.consoleAfterBoot());
            assertEquals(1, kernel.stats(0).unknown());
        }
    }

    @Test
    void eventInDropAndPanicIsDropped() throws Exception {
        try (NmiTestKernel kernel = boot("nmimgr.events_drop=128 nmimgr.events_panic=128")) {
            kernel.platformNmiAt(1 * MS, true, false);

            kernel.runUntil(2 * MS);

            List<String> console = kernel.consoleAfterBoot();
            assertEquals(List.of("nmimgr: NMI event policy on: ignore none, drop 128, panic 128",
                    "nmimgr: NMI event 0x80 (128) on CPU 0 dropped by policy"), console);
            assertEquals(KernelOutcome.Ending.NONE, kernel.outcome().ending());
            // pci_serr_error returned early: nobody cleared the SERR line
            assertEquals(NmiReasonPort.NMI_REASON_SERR, kernel.nmi.reasonPort().reason());
        }
    }

    @Test
    void eventInIgnoreAndPanicIsIgnoredAndTakesTheNormalPath() throws Exception {
        try (NmiTestKernel kernel = boot("nmimgr.events_ignore=0 nmimgr.events_panic=0")) {
            kernel.platformNmiAt(1 * MS, false, false);

            kernel.runUntil(2 * MS);

            assertEquals(List.of("nmimgr: NMI event policy on: ignore 0, drop none, panic 0", UHHUH, DAZED),
                    kernel.consoleAfterBoot());
            assertEquals(-1, kernel.outcome().panicCpu());
        }
    }

    @Test
    void iochkEventInThePanicListPanicsWithThePolicyMessage() throws Exception {
        try (NmiTestKernel kernel = boot("nmimgr.events_panic=64")) {
            kernel.platformNmiAt(1 * MS, false, true);

            kernel.runUntil(2 * MS);

            List<String> console = kernel.consoleAfterBoot();
            assertEquals(List.of("nmimgr: NMI event policy on: ignore none, drop none, panic 64",
                    "nmimgr: NMI event 0x40 (64) on CPU 0 is set to panic",
                    "Kernel panic - not syncing: nmimgr: panic on NMI event 64"), console.subList(0, 3));
            assertFalse(console.stream().anyMatch(line -> line.startsWith("NMI: IOCK error")), console.toString());
            assertEquals("nmimgr: panic on NMI event 64", kernel.outcome().panicMessage());
        }
    }

    @Test
    void eventInNoListIsPassedOnToTheKernelsOwnHandling() throws Exception {
        try (NmiTestKernel kernel = boot("nmimgr.events_drop=64")) {
            kernel.platformNmiAt(1 * MS, true, false);

            kernel.runUntil(2 * MS);

            assertEquals(List.of("nmimgr: NMI event policy on: ignore none, drop 64, panic none",
                    "nmimgr: NMI event 0x80 (128) on CPU 0 has no policy; passing it on",
                    "NMI: PCI system error (SERR) for reason 80 on CPU 0.", DAZED), kernel.consoleAfterBoot());
        }
    }
}
