package dev.nmilab.x86;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.event.ExceptionDelivered;
import dev.nmilab.event.NmiLatched;
import dev.nmilab.smp.BootLayout;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.unicorn.X86Reg;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What 64-bit mode delivery pushes and where (SDM vol. 3, 6.12 and 6.14). */
class DeliveryFrameTest {
    private static final long RFLAGS_IF = 1L << 9;
    private static final long KERNEL_CS = 0x10;
    private static final long KERNEL_DS = 0x18;

    @Test
    void nmiFrameOnIst2HoldsInterruptedRipCsRflagsRspAndSs() {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	sub	$8, %rsp		/* a misaligned RSP: an IST frame does not depend on it */
                	pushq	$0x246			/* RFLAGS = IF|ZF|PF|fixed, known exactly */
                	popfq
                SYM_INNER_LABEL(nops)
                	.rept 64
                	nop
                	.endr
                	hlt
                SYM_CODE_END(_start)
                SYM_CODE_START(asm_exc_nmi)
                	mov	%rsp, handler_rsp(%rip)
                	iretq
                SYM_CODE_END(asm_exc_nmi)
                	.data
                handler_rsp:	.quad 0
                """;
        // three setup instructions, then the NMI lands after seven nops
        try (StubRun run = StubRun.start(source, "nmi@10")) {
            assertEquals(Scheduler.Outcome.ALL_HALTED, run.run(10_000).outcome());
            ExceptionDelivered nmi = run.onlyDelivery(Vector.NMI);
            long top = BootLayout.kernelStackTop(0);
            assertAll(
                    () -> assertEquals(BootLayout.istTop(0, BootLayout.IST_NMI) - 40, nmi.frame(),
                            "IST2 top minus the five-word frame"),
                    () -> assertEquals(BootLayout.IST_NMI, nmi.ist()),
                    () -> assertNull(nmi.errorCode(), "NMI pushes no error code"),
                    () -> assertArrayEquals(new long[] {run.symbol("nops") + 7, KERNEL_CS, 0x246, top - 8, KERNEL_DS},
                            run.frame(nmi), "RIP, CS, RFLAGS, RSP, SS"),
                    () -> assertEquals(nmi.frame(), run.data("handler_rsp"), "the handler starts with RSP at the frame"),
                    () -> assertEquals(top - 8, run.cpu().reg(X86Reg.RSP), "iretq restored the interrupted RSP"));
        }
    }

    @Test
    void nonIstVectorAlignsAMisalignedStackTo16BytesBeforePushing() {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	sub	$8, %rsp
                	int3
                SYM_INNER_LABEL(after_int3)
                	hlt
                SYM_CODE_END(_start)
                SYM_CODE_START(asm_exc_int3)
                	mov	%rsp, handler_rsp(%rip)
                	iretq
                SYM_CODE_END(asm_exc_int3)
                	.data
                handler_rsp:	.quad 0
                """;
        try (StubRun run = StubRun.start(source)) {
            run.run(1_000);
            ExceptionDelivered bp = run.onlyDelivery(Vector.BP);
            long rsp = BootLayout.kernelStackTop(0) - 8;
            // SDM 6.14.2: in 64-bit mode RSP is aligned down to 16 bytes before the frame is pushed
            assertEquals((rsp & ~0xfL) - 40, bp.frame());
            assertEquals(0, bp.ist());
            long[] frame = run.frame(bp);
            assertEquals(rsp, frame[3], "the pushed RSP is the original, unaligned one");
            assertEquals(run.symbol("after_int3"), frame[0]);
            assertEquals(bp.frame(), run.data("handler_rsp"));
            assertEquals(rsp, run.cpu().reg(X86Reg.RSP), "iretq restores the unaligned RSP");
        }
    }

    /** SDM 6.15 interrupt 14: error code bit 1 = write, bit 4 = instruction fetch, bit 0 = 0 when not present. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "read of 0x1000          | 0x1000             | mov (%rax), %rbx | 0x0",
        "write to vmalloc space  | 0xffffc90000000018 | mov %rbx, (%rax) | 0x2",
        "fetch from vmalloc space| 0xffffc90000001000 | jmp *%rax        | 0x10",
    })
    void pageFaultPushesErrorCodeAndSetsCr2(String what, String address, String access, String errorCode) {
        long faultAddress = Long.parseUnsignedLong(address.substring(2), 16);
        long expectedCode = Long.decode(errorCode);
        boolean fetch = access.startsWith("jmp");
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	movabs	$%s, %%rax
                SYM_INNER_LABEL(fault_site)
                	%s
                	hlt
                SYM_CODE_END(_start)
                SYM_CODE_START(asm_exc_page_fault)
                	mov	%%cr2, %%rcx		/* the handler reads CR2 itself, as exc_page_fault does */
                	mov	%%rcx, cr2_seen(%%rip)
                	mov	(%%rsp), %%rcx
                	mov	%%rcx, error_seen(%%rip)
                	mov	%%rsp, handler_rsp(%%rip)
                	hlt
                SYM_CODE_END(asm_exc_page_fault)
                	.data
                cr2_seen:	.quad 0
                error_seen:	.quad -1
                handler_rsp:	.quad 0
                """.formatted(address, access);
        try (StubRun run = StubRun.start(source)) {
            run.run(1_000);
            ExceptionDelivered pf = run.onlyDelivery(Vector.PF);
            long[] frame = run.frame(pf);
            assertAll(
                    () -> assertEquals(expectedCode, pf.errorCode()),
                    () -> assertEquals(expectedCode, run.pushedErrorCode(pf), "error code in memory below the frame"),
                    () -> assertEquals(expectedCode, run.data("error_seen"), "error code as the handler popped it"),
                    () -> assertEquals(pf.frame() - 8, run.data("handler_rsp"), "RSP at the error code"),
                    () -> assertEquals(faultAddress, run.data("cr2_seen"), "mov %cr2 in the handler"),
                    () -> assertEquals(faultAddress, run.cpu().reg(X86Reg.CR2)),
                    // a fault: the RIP of the faulting instruction; for a fetch, the address that could not be fetched
                    () -> assertEquals(fetch ? faultAddress : run.symbol("fault_site"), frame[0]),
                    () -> assertEquals(KERNEL_CS, frame[1]),
                    () -> assertEquals(BootLayout.kernelStackTop(0), frame[3]),
                    () -> assertEquals(KERNEL_DS, frame[4]));
        }
    }

    /** SDM 6.12.1.3: an interrupt gate clears IF, a trap gate leaves it; the frame keeps the old RFLAGS. */
    @ParameterizedTest(name = "gate type 0x{0}")
    @ValueSource(ints = {IdtGate.TYPE_INTERRUPT, IdtGate.TYPE_TRAP})
    void interruptGateClearsIfAndTrapGateKeepsIt(int gateType) {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	int3
                	pushfq
                	popq	flags_after(%rip)
                	hlt
                SYM_CODE_END(_start)
                SYM_CODE_START(asm_exc_int3)
                	pushfq
                	popq	flags_in_handler(%rip)
                	iretq
                SYM_CODE_END(asm_exc_int3)
                	.data
                flags_in_handler:	.quad -1
                flags_after:		.quad 0
                """;
        try (StubRun run = StubRun.start(source)) {
            run.setGate(Vector.BP, new IdtGate(run.symbol("asm_exc_int3"), DescriptorTables.KERNEL_CS, 0, gateType, 0,
                    true));
            run.run(1_000);
            ExceptionDelivered bp = run.onlyDelivery(Vector.BP);
            assertTrue((run.frame(bp)[2] & RFLAGS_IF) != 0, "the pushed RFLAGS has IF as it was");
            boolean ifInHandler = (run.data("flags_in_handler") & RFLAGS_IF) != 0;
            assertEquals(gateType == IdtGate.TYPE_TRAP, ifInHandler);
            assertTrue((run.data("flags_after") & RFLAGS_IF) != 0, "iretq restored IF");
        }
    }

    /**
     * SDM 6.5: a fault pushes the RIP of the faulting instruction (so it restarts), a trap the RIP
     * of the next one. #UD and #DE are faults, #BP from int3 is a trap.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "#UD from ud2       | 6 | asm_exc_invalid_op   | ud2       | site",
        "#DE from div by 0  | 0 | asm_exc_divide_error | div %rcx  | site",
        "#BP from int3      | 3 | asm_exc_int3         | int3      | next",
    })
    void faultPushesRipOfTheInstructionTrapPushesRipOfTheNext(String what, int vector, String handler,
            String instruction, String expected) {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	xor	%%ecx, %%ecx
                	xor	%%edx, %%edx
                	mov	$5, %%eax
                SYM_INNER_LABEL(site)
                	%s
                SYM_INNER_LABEL(next)
                	hlt
                SYM_CODE_END(_start)
                SYM_CODE_START(%s)
                	hlt
                SYM_CODE_END(%s)
                """.formatted(instruction, handler, handler);
        try (StubRun run = StubRun.start(source)) {
            run.run(1_000);
            ExceptionDelivered delivered = run.onlyDelivery(vector);
            assertEquals(run.symbol(expected), run.frame(delivered)[0]);
            assertNull(delivered.errorCode());
            assertEquals(BootLayout.kernelStackTop(0) - 40, delivered.frame());
        }
    }

    /**
     * A gate with P=0 raises #NP with error code vector*8 + IDT(2) + EXT (SDM 6.13, and the INT n
     * pseudocode in vol. 2: #NP(error_code(vector, 1, EXT))). EXT is set when the event being
     * delivered is external to the program -- an NMI, an interrupt, or a processor-detected
     * exception such as #UD -- and clear only for software interrupts (INT n, INT3, INTO).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "int3 (software)       | 3 | int3 | 0x1a",
        "NMI (external)        | 2 | nop  | 0x13",
        "#UD (processor fault) | 6 | ud2  | 0x33",
    })
    void notPresentGateRaisesSegmentNotPresentWithIdtAndExtBits(String what, int vector, String instruction,
            String errorCode) {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	nop
                	%s
                	hlt
                SYM_CODE_END(_start)
                SYM_CODE_START(absent_handler)
                	hlt
                SYM_CODE_END(absent_handler)
                SYM_CODE_START(asm_exc_segment_not_present)
                	hlt
                SYM_CODE_END(asm_exc_segment_not_present)
                """.formatted(instruction);
        try (StubRun run = StubRun.start(source, vector == Vector.NMI ? new String[] {"nmi@1"} : new String[0])) {
            run.setGate(vector, new IdtGate(run.symbol("absent_handler"), DescriptorTables.KERNEL_CS,
                    BootLayout.defaultIst().getOrDefault(vector, 0), IdtGate.TYPE_INTERRUPT, 0, false));
            run.run(1_000);
            ExceptionDelivered np = run.onlyDelivery(Vector.NP);
            assertEquals(List.of(), run.deliveries(vector), "the vector itself never reaches a handler");
            assertEquals(Long.decode(errorCode), np.errorCode());
            assertEquals(Long.decode(errorCode), run.pushedErrorCode(np));
        }
    }

    /**
     * INT n for a vector that normally has an error code pushes none (SDM 6.4.2 and 6.13), and as a
     * software interrupt it is a trap: the pushed RIP is the next instruction and int $13 itself retires.
     */
    @Test
    void intNForAnErrorCodeVectorPushesNoErrorCodeAndRetires() {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	nop
                	int	$13
                SYM_INNER_LABEL(next)
                	hlt
                SYM_CODE_END(_start)
                SYM_CODE_START(asm_exc_general_protection)
                	mov	%rsp, handler_rsp(%rip)
                	hlt
                SYM_CODE_END(asm_exc_general_protection)
                	.data
                handler_rsp:	.quad 0
                """;
        try (StubRun run = StubRun.start(source)) {
            run.run(1_000);
            ExceptionDelivered gp = run.onlyDelivery(Vector.GP);
            assertAll(
                    () -> assertNull(gp.errorCode(), "INT n pushes no error code"),
                    () -> assertEquals(gp.frame(), run.data("handler_rsp"), "nothing pushed below the frame"),
                    () -> assertEquals(run.symbol("next"), run.frame(gp)[0]),
                    // nop, int $13, mov, hlt
                    () -> assertEquals(4, run.cpu().instructions(), "int $13 retired"));
        }
    }

    /**
     * SDM 6.3.3: "If vector number 2 (the NMI vector) is used in this instruction, the NMI interrupt
     * handler is called, but the processor's NMI-handling hardware is not activated": a real NMI
     * arriving inside a handler entered by int $2 is delivered at once, not latched. (Gate 2 is
     * made non-IST here so the nested frame does not land on the first one.)
     */
    @Test
    void intTwoCallsTheNmiHandlerWithoutBlockingNmis() {
        String source = """
                #include <nmilab.h>
                	.text
                SYM_CODE_START(_start)
                	nop
                	int	$2
                	hlt
                SYM_CODE_END(_start)
                SYM_CODE_START(asm_exc_nmi)
                	incq	nmi_entries(%rip)
                	.rept 20
                	nop
                	.endr
                	iretq
                SYM_CODE_END(asm_exc_nmi)
                	.data
                nmi_entries:	.quad 0
                """;
        try (StubRun run = StubRun.start(source, "nmi@8")) {
            run.setGate(Vector.NMI, IdtGate.interrupt(run.symbol("asm_exc_nmi"), 0));
            assertEquals(Scheduler.Outcome.ALL_HALTED, run.run(1_000).outcome());
            List<ExceptionDelivered> nmis = run.deliveries(Vector.NMI);
            assertEquals(2, run.data("nmi_entries"));
            assertEquals(List.of(), run.events(NmiLatched.class), "nothing blocked the real NMI");
            assertEquals(2, nmis.size());
            assertEquals(2, nmis.get(1).depth(), "the real NMI nests inside the int $2 handler");
            assertEquals(1, run.cpu().nmisDelivered(), "only the real NMI counts as one");
        }
    }
}
