package dev.nmilab.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules of name, description, machine, tasks and limits not covered by the broken/ fixtures. */
class TopLevelRulesTest {

    private static final String HEAD = "name: t\ndescription: t\n";

    static Stream<Arguments> badScenarios() {
        return Stream.of(
                arguments("name: t\ndescription: |\n  two\n  lines\n",
                        "t.yaml:2: description: expected a one-line string, got 'two\\nlines\\n'"),
                arguments("name: t\ndescription: ''\n",
                        "t.yaml:2: description: expected a one-line string, got ''"),
                arguments("name: t\ndescription:\n",
                        "t.yaml:2: description: expected a one-line string, got nothing"),
                arguments(HEAD + "machine: big\n",
                        "t.yaml:3: machine: expected a map, got 'big'"),
                arguments(HEAD + "machine:\n  memory: 20481K\n",
                        "t.yaml:4: machine.memory: expected a whole number of 4K pages, got '20481K'"),
                arguments(HEAD + "machine:\n  memory: 2T\n",
                        "t.yaml:4: machine.memory: expected a size 16M..1T, got '2T'"),
                arguments(HEAD + "machine:\n  cpus: 0\n",
                        "t.yaml:4: machine.cpus: expected an integer 1..64, got '0'"),
                arguments(HEAD + "machine:\n  cmdline: |\n    a\n    b\n",
                        "t.yaml:4: machine.cmdline: expected a one-line kernel command line, got 'a\\nb\\n'"),
                arguments(HEAD + "machine:\n  sysctls:\n    panic: 1\n",
                        "t.yaml:5: machine.sysctls.panic: expected a sysctl name like kernel.panic, got 'panic'"),
                arguments(HEAD + "machine:\n  sysctls:\n    kernel:\n      panic: 1\n",
                        "t.yaml:5: machine.sysctls.kernel: expected a sysctl name like kernel.panic, got 'kernel'"),
                arguments(HEAD + "machine:\n  sysctls:\n    kernel.panic: [1]\n",
                        "t.yaml:5: machine.sysctls.kernel.panic: expected a sysctl value, got a list"),
                arguments(HEAD + "stubs: entry.S\n",
                        "t.yaml:3: stubs: expected a list, got 'entry.S'"),
                arguments(HEAD + "stubs: [entry.c]\n",
                        "t.yaml:3: stubs[0]: expected an assembler source name ending in .S, got 'entry.c'"),
                arguments(HEAD + "tasks:\n  - type: bug-kthread\n    behaviour: spin\n    name: a-very-long-name-indeed\n",
                        "t.yaml:6: tasks[0].name: expected a task name of 1..15 characters without spaces, got 'a-very-long-name-indeed'"),
                arguments(HEAD + "tasks:\n  - type: bug-kthread\n    behaviour: spin\n    cpu: 1\n",
                        "t.yaml:6: tasks[0].cpu: CPU 1 does not exist (machine.cpus is 1)"),
                arguments(HEAD + "tasks:\n  - type: bug-kthread\n",
                        "t.yaml:4: tasks[0]: missing required key 'behaviour' for task type 'bug-kthread'"),
                arguments(HEAD + "tasks:\n  - type: bug-kthread\n    behaviour: crawl\n",
                        "t.yaml:5: tasks[0].behaviour: expected int3-loop or spin, got 'crawl'"),
                arguments(HEAD + "tasks:\n  - type: bug-kthread\n    behavior: spin\n",
                        "t.yaml:5: tasks[0].behavior: unknown key 'behavior' (did you mean 'behaviour'?)"),
                arguments(HEAD + "limits:\n  time: 0s\n",
                        "t.yaml:4: limits.time: expected a duration longer than 0s, got '0s'"),
                arguments(HEAD + "limits:\n  instructions: 1e9\n",
                        "t.yaml:4: limits.instructions: expected a positive integer, got '1e9'"),
                arguments(HEAD + "limits:\n  tme: 1s\n",
                        "t.yaml:4: limits.tme: unknown key 'tme' (did you mean 'time'?)"),
                arguments(HEAD + "expect: hang\n",
                        "t.yaml:3: expect: expected one of VMCORE_SAVED, HANG, RESET, HALTED, SURVIVED, got 'hang'"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badScenarios")
    void badScenarioGetsItsMessage(String yaml, String message) {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> TestParsers.parser().parse("t.yaml", yaml, Optional.empty(), List.of()));
        assertEquals(message, e.getMessage());
    }
}
