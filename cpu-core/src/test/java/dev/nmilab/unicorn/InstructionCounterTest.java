package dev.nmilab.unicorn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The native counter stops the engine before the instruction that would exceed the budget. */
class InstructionCounterTest {
    private static final long CODE = 0x1000;
    private Unicorn uc;

    @BeforeEach
    void open() {
        uc = Unicorn.openX86_64();
        uc.memMap(CODE, 0x1000, Protection.ALL);
        byte[] program = new byte[17];
        java.util.Arrays.fill(program, (byte) 0x90); // 16 nops
        program[16] = (byte) 0xf4; // hlt
        uc.memWrite(CODE, program);
    }

    @AfterEach
    void close() {
        uc.close();
    }

    @ParameterizedTest(name = "budget {0}")
    @ValueSource(longs = {0, 1, 4, 15, 16})
    void aBudgetStopsTheRunWithExactlyThatManyInstructionsExecuted(long budget) {
        InstructionCounter counter = uc.counter();
        counter.reset();
        counter.setBudget(budget);
        assertEquals(EmuStatus.OK, uc.emuStart(CODE));
        assertEquals(budget, counter.executed());
        assertEquals(CODE + budget, uc.regRead(X86Reg.RIP), "stopped before instruction " + budget);

        // the rest of the program, from where it stopped, in a second run
        counter.reset();
        counter.setBudget(Long.MAX_VALUE);
        assertEquals(EmuStatus.OK, uc.emuStart(uc.regRead(X86Reg.RIP)));
        assertEquals(17 - budget, counter.executed(), "the nops left and the hlt");
        assertEquals(CODE + 17, uc.regRead(X86Reg.RIP));
    }
}
