package dev.nmilab.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.event.CpuShutdown;
import dev.nmilab.event.ExceptionDelivered;
import dev.nmilab.smp.BootLayout;
import dev.nmilab.smp.Scheduler;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Machine checks (SDM vol. 3, 6.15 interrupt 18, and IA32_MCG_STATUS in the machine-check
 * architecture chapter): delivery sets MCG_STATUS.MCIP; a machine check while MCIP is set shuts
 * the processor down; software clears MCIP when it is done.
 */
class MachineCheckTest {
    private static final String LOOP = """
            #include <nmilab.h>
            	.text
            SYM_CODE_START(_start)
            	mov	$100, %ecx
            1:	dec	%ecx
            	jnz	1b
            	hlt
            SYM_CODE_END(_start)
            """;

    private static long mcgStatus(Cpu cpu) {
        return cpu.engine().readMsr(Cpu.MSR_MCG_STATUS);
    }

    @Test
    void machineCheckIsDeliveredOnIst4WithMcipSet() {
        String source = LOOP + """
                SYM_CODE_START(asm_exc_machine_check)
                	mov	$MSR_IA32_MCG_STATUS, %ecx
                	rdmsr
                	mov	%rax, mcg_status_seen(%rip)
                	hlt
                SYM_CODE_END(asm_exc_machine_check)
                	.data
                mcg_status_seen:	.quad 0
                """;
        try (StubRun run = StubRun.start(source, "mce@10")) {
            run.run(1_000);
            ExceptionDelivered mc = run.onlyDelivery(Vector.MC);
            assertEquals(BootLayout.IST_MCE, mc.ist());
            assertEquals(BootLayout.istTop(0, BootLayout.IST_MCE) - 40, mc.frame());
            assertNull(mc.errorCode(), "#MC pushes no error code");
            assertEquals(Cpu.MCG_STATUS_MCIP, mcgStatus(run.cpu()) & Cpu.MCG_STATUS_MCIP);
            assertEquals(Cpu.MCG_STATUS_MCIP, run.data("mcg_status_seen") & Cpu.MCG_STATUS_MCIP,
                    "the handler's own rdmsr sees MCIP");
        }
    }

    @Test
    void secondMachineCheckWhileMcipIsSetShutsTheCpuDown() {
        String source = LOOP + """
                SYM_CODE_START(asm_exc_machine_check)
                1:	jmp	1b			/* never clears MCIP */
                SYM_CODE_END(asm_exc_machine_check)
                """;
        try (StubRun run = StubRun.start(source, "mce@10", "mce@30")) {
            Scheduler.RunResult result = run.run(1_000);
            assertEquals(Scheduler.Outcome.SHUTDOWN, result.outcome());
            assertEquals(Cpu.State.SHUTDOWN, run.cpu().state());
            assertEquals(1, run.cpu().delivered(Vector.MC), "the second #MC is never delivered");
            List<CpuShutdown> shutdowns = run.events(CpuShutdown.class);
            assertEquals(1, shutdowns.size());
            assertTrue(shutdowns.get(0).reason().contains("MCIP"), shutdowns.get(0).reason());
            assertEquals(shutdowns.get(0).reason(), run.cpu().shutdownReason());
        }
    }

    @Test
    void afterTheHandlerClearsMcgStatusTheNextMachineCheckIsDelivered() {
        String source = LOOP + """
                SYM_CODE_START(asm_exc_machine_check)
                	mov	$MSR_IA32_MCG_STATUS, %ecx
                	xor	%eax, %eax
                	xor	%edx, %edx
                	wrmsr				/* mce_wrmsrl(MSR_IA32_MCG_STATUS, 0) */
                	iretq
                SYM_CODE_END(asm_exc_machine_check)
                """;
        try (StubRun run = StubRun.start(source, "mce@10", "mce@40")) {
            assertEquals(Scheduler.Outcome.ALL_HALTED, run.run(10_000).outcome());
            assertEquals(2, run.cpu().delivered(Vector.MC));
            assertEquals(List.of(), run.events(CpuShutdown.class));
            assertEquals(0, mcgStatus(run.cpu()) & Cpu.MCG_STATUS_MCIP);
        }
    }
}
