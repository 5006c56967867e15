package dev.nmilab.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.asm.AssemblyException;
import dev.nmilab.asm.Assembler;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.unicorn.EngineLimitException;
import dev.nmilab.unicorn.X86Reg;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Code that would make Unicorn 2.0.1 abort the JVM never reaches an engine: encodings its
 * translator dies on are refused when the stub is loaded, and a DR7 write that enables a
 * breakpoint stops the run with an error just before it executes.
 */
class EngineAbortGuardTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        ".byte 0xf0, 0x39, 0x03",       // lock cmp %eax,(%rbx)
        ".byte 0xf0, 0x0f, 0xa3, 0xc0", // lock bt %eax,%eax
        ".byte 0xff, 0xd8",             // lcall *%rax: far call through a register
        ".byte 0xf0, 0xa6",             // lock cmpsb
    })
    void anEncodingTheTranslatorDiesOnIsRefusedWhenTheStubIsAssembled(String instruction) {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	nop
                	%s
                	hlt
                SYM_CODE_END(_start)
                """.formatted(instruction);
        AssemblyException e = assertThrows(AssemblyException.class, () -> new Assembler().assemble("bad.S", source));
        assertTrue(e.getMessage().startsWith("bad.S: _start+0x1 ("), e.getMessage());
        assertTrue(e.getMessage().contains("makes Unicorn 2.0.1 abort the process"), e.getMessage());
    }

    private static final String DR7_WRITE = """
            #include <nmilab.h>
            	.text
            SYM_CODE_START(_start)
            	movq	$%d, %%r9
            	nop
            	movq	%%r9, %%dr7
            	movq	$42, %%rbx
            	hlt
            SYM_CODE_END(_start)
            """;

    @Test
    void aDr7WriteThatEnablesABreakpointStopsTheRunInsteadOfTheJvm() {
        try (StubRun run = StubRun.start(DR7_WRITE.formatted(0x401))) {
            CpuFailure failure = assertThrows(CpuFailure.class, () -> run.run(1_000));
            assertInstanceOf(EngineLimitException.class, failure.getCause());
            assertTrue(failure.getMessage().contains("mov 0x401 to %dr7"), failure.getMessage());
            assertEquals(0, run.cpu().reg(X86Reg.RBX), "nothing after the write ran");
        }
    }

    @Test
    void aDr7WriteWithoutEnableBitsRuns() {
        try (StubRun run = StubRun.start(DR7_WRITE.formatted(0x400))) {
            assertEquals(Scheduler.Outcome.ALL_HALTED, run.run(1_000).outcome());
            assertEquals(42, run.cpu().reg(X86Reg.RBX));
        }
    }
}
