package dev.nmilab.kernel.printk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.cmdline.KernelCommandLine;
import java.util.List;
import org.junit.jupiter.api.Test;

class SerialConsoleTest {
    /** 12 characters ("0123456789" and "\r\n") at 115200 baud: 120 bits, 1,041,666.7 ns. */
    private static final long TWELVE_CHARS_NS = 1_041_667;

    @Test
    void aLineTakesTenBitsPerCharacterIncludingCarriageReturnAndNewline() {
        SerialConsole console = new SerialConsole("ttyS0", 115_200);

        SerialConsole.Line line = console.write(5_000, 0, "0123456789");

        assertEquals(5_000 + TWELVE_CHARS_NS, line.sentNs());
        assertEquals(11_520, console.charsPerSecond());
    }

    @Test
    void linesQueueBehindTheOnesStillBeingSent() {
        SerialConsole console = new SerialConsole("ttyS0", 115_200);

        console.write(0, 0, "0123456789");
        SerialConsole.Line second = console.write(1_000, 1, "0123456789");

        assertEquals(2 * TWELVE_CHARS_NS, second.sentNs(), "the second line starts when the first has left");
        assertEquals(2, console.backlogLines(1_000));
        assertEquals(24, console.backlogChars(1_000));
        assertEquals(1, console.backlogLines(TWELVE_CHARS_NS));
        assertEquals(0, console.backlogLines(2 * TWELVE_CHARS_NS));
        assertEquals(24, console.maxBacklogChars());
    }

    @Test
    void anIdleWireStartsALineAtOnce() {
        SerialConsole console = new SerialConsole("ttyS0", 9_600);
        console.write(0, 0, "x");

        SerialConsole.Line later = console.write(1_000_000_000L, 0, "x");

        assertEquals(1_000_000_000L + 3_125_000, later.sentNs(), "3 chars at 960 a second");
    }

    @Test
    void aHandOverKeepsOnlyWhatHadLeftTheUart() {
        SerialConsole console = new SerialConsole("ttyS0", 115_200);
        console.write(0, 0, "first.....");
        console.write(0, 0, "second....");
        console.write(0, 0, "third.....");

        console.handOver(2 * TWELVE_CHARS_NS);

        assertEquals(List.of("first.....", "second...."), console.onWire().stream().map(SerialConsole.Line::text)
                .toList());
        assertEquals(3, console.queued().size());
    }

    @Test
    void withoutAHandOverEverythingQueuedReachesTheWire() {
        SerialConsole console = new SerialConsole("ttyS0", 115_200);
        console.write(0, 0, "a");
        console.write(0, 0, "b");

        assertEquals(2, console.onWire().size());
    }

    @Test
    void theLastTtySConsoleOnTheCommandLineSetsNameAndBaud() {
        SerialConsole console = SerialConsole.fromCommandLine(
                KernelCommandLine.parse("console=ttyS0,115200 console=tty0 console=ttyS1,9600n8"));

        assertEquals("ttyS1", console.name());
        assertEquals(9_600, console.baud());
    }

    @Test
    void noConsoleParameterMeansTtyS0At115200() {
        SerialConsole console = SerialConsole.fromCommandLine(KernelCommandLine.parse("quiet"));

        assertEquals("ttyS0", console.name());
        assertEquals(115_200, console.baud());
        assertEquals(57_600, SerialConsole.fromCommandLine(KernelCommandLine.parse("console=ttyS0,57600")).baud());
        assertEquals(115_200, SerialConsole.fromCommandLine(KernelCommandLine.parse("console=ttyS2")).baud());
    }

    @Test
    void aBadBaudRateIsNamed() {
        IllegalArgumentException noDigits = assertThrows(IllegalArgumentException.class,
                () -> SerialConsole.fromCommandLine(KernelCommandLine.parse("console=ttyS0,fast")));
        assertTrue(noDigits.getMessage().contains("console=ttyS0,fast"), noDigits.getMessage());

        IllegalArgumentException tooSlow = assertThrows(IllegalArgumentException.class,
                () -> SerialConsole.fromCommandLine(KernelCommandLine.parse("console=ttyS0,10")));
        assertTrue(tooSlow.getMessage().contains("10"), tooSlow.getMessage());
    }
}
