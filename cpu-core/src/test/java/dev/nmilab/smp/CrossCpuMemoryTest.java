package dev.nmilab.smp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.unicorn.X86Reg;
import dev.nmilab.x86.Cpu;
import dev.nmilab.x86.StubRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Memory is shared host memory: data stores are seen at once, translated code is not. */
class CrossCpuMemoryTest {

    @Test
    void storeByCpu0IsSeenByCpu1SpinningOnAFlag() {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	test	%rdi, %rdi		/* RDI = CPU index */
                	jnz	cpu1
                	mov	$30000, %ecx		/* CPU 0 works for six quanta first */
                1:	dec	%ecx
                	jnz	1b
                	movq	$0x5a5a, payload(%rip)
                	movq	$1, flag(%rip)
                	hlt
                cpu1:	xor	%ebx, %ebx
                2:	inc	%rbx
                	cmpq	$0, flag(%rip)
                	je	2b
                	mov	payload(%rip), %rax
                	hlt
                SYM_CODE_END(_start)
                	.data
                flag:		.quad 0
                payload:	.quad 0
                """;
        try (StubRun run = StubRun.start(2, source)) {
            assertEquals(Scheduler.Outcome.ALL_HALTED, run.run(1_000_000).outcome());
            Cpu cpu1 = run.cpu(1);
            assertEquals(0x5a5a, cpu1.reg(X86Reg.RAX));
            // CPU 1 really waited: it spun through several quanta before the flag appeared
            assertTrue(cpu1.reg(X86Reg.RBX) > 10_000, "spins: " + cpu1.reg(X86Reg.RBX));
        }
    }

    /**
     * CPU 1 runs get_value (so its engine has it translated), CPU 0 patches the immediate and sets
     * a flag, CPU 1 calls get_value once more. Each engine keeps its own translation cache and
     * does not see another engine's stores into translated code: only a flush of CPU 1's cache
     * (what text_poke's sync IPI stands for) makes it run the new bytes. Without it, CPU 1
     * really does run the stale translation (measured on Unicorn 2.0.1).
     */
    @ParameterizedTest(name = "flush CPU 1: {0}")
    @ValueSource(booleans = {true, false})
    void codePatchedByCpu0IsSeenByCpu1OnlyAfterItsTranslationsAreFlushed(boolean flush) {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	test	%rdi, %rdi
                	jnz	cpu1
                	mov	$15000, %ecx		/* instructions 3..30003: CPU 1 runs the old code meanwhile */
                1:	dec	%ecx
                	jnz	1b
                	movb	$2, get_value+1(%rip)	/* instruction 30004: mov $1 becomes mov $2 */
                	movq	$1, patched(%rip)	/* instruction 30005 */
                	hlt
                cpu1:
                2:	call	get_value
                	mov	%eax, before(%rip)
                	cmpq	$0, patched(%rip)
                	je	2b
                	call	get_value
                	mov	%eax, after(%rip)
                	hlt
                SYM_CODE_END(_start)
                SYM_FUNC_START(get_value)
                	mov	$1, %eax
                	ret
                SYM_FUNC_END(get_value)
                	.data
                patched:	.quad 0
                before:		.quad 0
                after:		.quad 0
                """;
        try (StubRun run = StubRun.start(2, source)) {
            long getValue = run.symbol("get_value");
            byte[] patchedByteAtFlush = new byte[1];
            run.machine().scheduler().afterInstructions(0, 30_005, () -> {
                patchedByteAtFlush[0] = run.machine().kernelSpace().readByte(getValue + 1);
                if (flush) {
                    run.cpu(1).engine().flushTranslations(getValue, getValue + 5); // mov imm32 + ret
                }
            });
            assertEquals(Scheduler.Outcome.ALL_HALTED, run.run(1_000_000).outcome());
            assertEquals(2, patchedByteAtFlush[0], "CPU 0 had patched the code when the action ran");
            assertEquals(1, run.data("before"), "CPU 1 ran the old code first");
            assertTrue(run.cpu(1).instructions() > 10_000, "and kept running it for more than a quantum");
            assertEquals(flush ? 2 : 1, run.data("after"));
        }
    }
}
