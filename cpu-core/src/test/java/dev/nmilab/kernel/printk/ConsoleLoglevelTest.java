package dev.nmilab.kernel.printk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nmilab.kernel.cmdline.KernelCommandLine;
import dev.nmilab.kernel.sysctl.Sysctls;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsoleLoglevelTest {

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
        "ro root=/dev/sda1|-1",
        "quiet|4",
        "debug|10",
        "loglevel=3|3",
        "loglevel=0x5|5",
        "quiet loglevel=7|7",
        "loglevel=7 quiet|4",
        "debug quiet|4",
        "loglevel=abc|-1",
        "loglevel|-1",
        "quiet loglevel=|4"})
    void lastOfDebugQuietLoglevelWins(String line, int expected) {
        OptionalInt level = ConsoleLoglevel.fromCommandLine(KernelCommandLine.parse(line));
        assertEquals(expected < 0 ? OptionalInt.empty() : OptionalInt.of(expected), level);
    }

    @ParameterizedTest(name = "\"{0}\" -> kernel.printk {1}")
    @CsvSource(delimiter = '|', value = {"ro|7\t4\t1\t7", "ro quiet rhgb|4\t4\t1\t7"})
    void quietIsWhereFourFourOneSevenComesFrom(String line, String printk) {
        Sysctls sysctls = Sysctls.linux61();
        ConsoleLoglevel.fromCommandLine(KernelCommandLine.parse(line))
                .ifPresent(level -> sysctls.write("kernel.printk", Integer.toString(level)));
        assertEquals(printk, sysctls.stringValue("kernel.printk"));
    }
}
