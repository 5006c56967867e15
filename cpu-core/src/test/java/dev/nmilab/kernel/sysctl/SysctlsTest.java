package dev.nmilab.kernel.sysctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.kernel.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SysctlsTest {
    private final Sysctls sysctls = Sysctls.linux61();

    @ParameterizedTest(name = "{0} reads {1}")
    @CsvSource(delimiter = '|', value = {
        "kernel.panic|0", "kernel.panic_on_oops|0", "kernel.unknown_nmi_panic|0",
        "kernel.panic_on_unrecovered_nmi|0", "kernel.panic_on_io_nmi|0", "kernel.nmi_watchdog|1",
        "kernel.watchdog_thresh|10", "kernel.hardlockup_panic|0", "kernel.softlockup_panic|0",
        "kernel.sysrq|16", "vm.panic_on_oom|0"})
    void linux61Defaults(String name, String value) {
        assertEquals(value + "\n", sysctls.procRead(name));
        assertEquals(Integer.parseInt(value), sysctls.intValue(name));
    }

    @Test
    void printkDefaultIsTheUpstreamConsoleLoglevels() {
        assertEquals("7\t4\t1\t7\n", sysctls.procRead("kernel.printk"));
        assertEquals("7\t4\t1\t7", sysctls.stringValue("kernel.printk"));
        assertEquals(List.of(7, 4, 1, 7), sysctls.intVector("kernel.printk"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "kernel.panic=10",
        "kernel.panic = 10",
        "  kernel.panic=10  ",
        "kernel/panic=10",
        "sysctl -w kernel.panic=10",
        "sysctl -q -w kernel.panic=10",
        "echo 10 > /proc/sys/kernel/panic",
        "echo 10 >/proc/sys/kernel/panic",
        "echo 10>/proc/sys/kernel/panic",
        "echo -n 10 > /proc/sys/kernel/panic",
        "echo \"10\" >> /proc/sys/kernel/panic",
        "echo '10' > /proc/sys/kernel/panic"})
    void writeForms(String command) {
        sysctls.apply(command);
        assertEquals(10, sysctls.intValue("kernel.panic"));
        assertEquals("10\n", sysctls.procRead("/proc/sys/kernel/panic"));
    }

    @Test
    void writeByNameAndByPath() {
        sysctls.write("kernel.unknown_nmi_panic", "1");
        assertTrue(sysctls.boolValue("kernel.unknown_nmi_panic"));
        sysctls.write("/proc/sys/kernel/unknown_nmi_panic", "0\n");
        assertFalse(sysctls.boolValue("kernel.unknown_nmi_panic"));
        sysctls.apply("echo 1 > /proc/sys/kernel/unknown_nmi_panic");
        assertEquals(1, sysctls.intValue("kernel/unknown_nmi_panic"));
    }

    @ParameterizedTest(name = "kernel.panic <- \"{0}\" reads {1}")
    @CsvSource(delimiter = '|', value = {
        "0x10|16", "010|8", "-1|-1", "'  7  '|7", "'3\n'|3", "'1 2'|1", "'4\t'|4",
        "2147483647|2147483647", "-2147483648|-2147483648"})
    void procDointvecNumberForms(String written, int expected) {
        sysctls.write("kernel.panic", written);
        assertEquals(expected, sysctls.intValue("kernel.panic"));
    }

    @ParameterizedTest(name = "kernel.panic <- \"{0}\" is -EINVAL")
    @CsvSource(delimiter = '|', value = {
        "abc|abc", "1x|1x", "''|''", "'   '|'   '", "2147483648|2147483648", "-2147483649|-2147483649",
        "-|-", "+1|+1", "0x|0x", "1.5|1.5", "99999999999999999999999|99999999999999999999999"})
    void badNumbersAreRefusedAndValueKept(String written, String shown) {
        sysctls.write("kernel.panic", "3");
        SysctlException e = assertThrows(SysctlException.class, () -> sysctls.write("kernel.panic", written));
        assertEquals("kernel.panic: invalid value \"" + shown
                + "\": expected an integer (proc_dointvec returns -EINVAL)", e.getMessage());
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(Optional.of(shown), e.value());
        assertEquals(3, sysctls.intValue("kernel.panic"));
    }

    @Test
    void outOfRangeNamesTheRangeAndTheHandler() {
        SysctlException e = assertThrows(SysctlException.class,
                () -> sysctls.apply("echo 61 > /proc/sys/kernel/watchdog_thresh"));
        assertEquals("kernel.watchdog_thresh: invalid value \"61\": expected an integer in 0..60"
                + " (proc_dointvec_minmax returns -EINVAL)", e.getMessage());
        assertEquals("/proc/sys/kernel/watchdog_thresh", e.name());
        assertEquals(10, sysctls.intValue("kernel.watchdog_thresh"));

        SysctlException negative = assertThrows(SysctlException.class,
                () -> sysctls.write("vm.panic_on_oom", "-1"));
        assertEquals("vm.panic_on_oom: invalid value \"-1\": expected an integer in 0..2"
                + " (proc_dointvec_minmax returns -EINVAL)", negative.getMessage());
        sysctls.write("vm.panic_on_oom", "2");
        assertEquals(2, sysctls.intValue("vm.panic_on_oom"));
        sysctls.write("kernel.watchdog_thresh", "0");
        assertEquals(0, sysctls.intValue("kernel.watchdog_thresh"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"kernel.nope=1", "echo 1 > /proc/sys/kernel/nope", "sysctl -w kernel.nope=1"})
    void unknownNameIsNamed(String command) {
        SysctlException e = assertThrows(SysctlException.class, () -> sysctls.apply(command));
        assertEquals("sysctl: cannot stat /proc/sys/kernel/nope: No such file or directory", e.getMessage());
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals(Optional.empty(), e.value());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "echo 1|expected echo value > /proc/sys/...",
        "echo 1 > /tmp/x|echo must write to a file under /proc/sys/",
        "echo \"1 > /proc/sys/kernel/panic|unterminated \" quote",
        "kernel.panic|expected name=value, sysctl -w name=value or echo value > /proc/sys/...",
        "=1|expected name=value, sysctl -w name=value or echo value > /proc/sys/..."})
    void unparsableCommands(String command, String expected) {
        SysctlException e = assertThrows(SysctlException.class, () -> sysctls.apply(command));
        assertEquals("cannot parse sysctl command \"" + command + "\": " + expected, e.getMessage());
    }

    @Test
    void printkTakesFourIntsOrFewer() {
        sysctls.apply("echo \"4 4 1 7\" > /proc/sys/kernel/printk");
        assertEquals(List.of(4, 4, 1, 7), sysctls.intVector("kernel.printk"));
        assertEquals("4\t4\t1\t7", sysctls.stringValue("kernel.printk"));
        sysctls.write("kernel.printk", "8\n");
        assertEquals(List.of(8, 4, 1, 7), sysctls.intVector("kernel.printk"));
        sysctls.write("kernel.printk", "1 2 3 4 5 6");
        assertEquals(List.of(1, 2, 3, 4), sysctls.intVector("kernel.printk"));
    }

    @Test
    void vectorKeepsValuesBeforeTheBadOneLikeTheKernel() {
        SysctlException e = assertThrows(SysctlException.class, () -> sysctls.write("kernel.printk", "5 x"));
        assertEquals("kernel.printk: invalid value \"5 x\": expected up to 4 integers"
                + " (proc_dointvec returns -EINVAL)", e.getMessage());
        assertEquals(List.of(5, 4, 1, 7), sysctls.intVector("kernel.printk"));
    }

    @Test
    void iterationIsSortedByName() {
        List<String> names = sysctls.names();
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        assertEquals(sorted, names);
        assertEquals(12, names.size());
        assertEquals("kernel.hardlockup_panic", names.get(0));
        assertEquals("vm.panic_on_oom", names.get(names.size() - 1));
        assertEquals(names, sysctls.definitions().stream().map(SysctlDefinition::name).toList());
    }

    @Test
    void otherModulesRegisterMoreDefinitions() {
        sysctls.register(SysctlDefinition.string("kernel.core_pattern", "core", "core dump file pattern"));
        sysctls.register(SysctlDefinition.bool("kernel.test_bool", false, "a proc_dobool entry"));
        sysctls.apply("echo '|/usr/lib/systemd/systemd-coredump %P' > /proc/sys/kernel/core_pattern");
        assertEquals("|/usr/lib/systemd/systemd-coredump %P", sysctls.stringValue("kernel.core_pattern"));
        assertEquals("proc_dostring", sysctls.definition("kernel.core_pattern").procHandler());
        sysctls.write("kernel.test_bool", "5");
        assertEquals("1\n", sysctls.procRead("kernel.test_bool"));
        assertTrue(sysctls.boolValue("kernel.test_bool"));
        sysctls.write("kernel.test_bool", "0");
        assertFalse(sysctls.boolValue("kernel.test_bool"));
        assertThrows(SysctlException.class, () -> sysctls.write("kernel.test_bool", "yes"));
        assertTrue(sysctls.names().indexOf("kernel.core_pattern") < sysctls.names().indexOf("kernel.hardlockup_panic"));
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                () -> sysctls.register(SysctlDefinition.integer("kernel.panic", 0, "again")));
        assertEquals("sysctl kernel.panic is already registered", duplicate.getMessage());
    }

    @Test
    void definitionsRejectInconsistentDefaults() {
        assertThrows(IllegalArgumentException.class,
                () -> SysctlDefinition.integer("kernel.x", 61, 0, 60, "default outside range"));
        assertThrows(IllegalArgumentException.class, () -> SysctlDefinition.integer("panic", 0, "no dot"));
    }

    @Test
    void listenersHearChangesAndResetRestoresDefault() {
        List<String> heard = new ArrayList<>();
        sysctls.addListener("/proc/sys/kernel/watchdog_thresh",
                (name, table) -> heard.add(name + "=" + table.intValue(name)));
        sysctls.apply("echo 20 > /proc/sys/kernel/watchdog_thresh");
        assertThrows(SysctlException.class, () -> sysctls.write("kernel.watchdog_thresh", "99"));
        assertEquals(List.of("kernel.watchdog_thresh=20"), heard);
        sysctls.reset("kernel.watchdog_thresh");
        assertEquals(10, sysctls.intValue("kernel.watchdog_thresh"));
    }

    @Test
    void typedReadsOfTheWrongKindAreRefused() {
        assertThrows(IllegalStateException.class, () -> sysctls.intValue("kernel.printk"));
        assertEquals(List.of(0), sysctls.intVector("kernel.panic"));
        assertEquals("/proc/sys/kernel/panic", sysctls.definition("kernel.panic").procPath());
        assertEquals("proc_dointvec_minmax", sysctls.definition("kernel.watchdog_thresh").procHandler());
    }
}
