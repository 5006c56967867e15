package dev.nmilab.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in calling.h and nmilab.h, checked against the bytes they assemble to. */
class CallingMacrosTest {

    /** Register names by the low three bits of a push/pop opcode, without and with REX.B. */
    private static final List<String> LOW_REGISTERS = List.of("rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi");
    private static final List<String> HIGH_REGISTERS = List.of("r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15");

    private static final List<String> PUSH_ORDER = List.of(
            "rdi", "rsi", "rdx", "rcx", "rax", "r8", "r9", "r10", "r11", "rbx", "rbp", "r12", "r13", "r14", "r15");

    private static AssembledImage image;
    private static SymbolTable symbols;

    @BeforeAll
    static void assembleFrameStub() throws AssemblyException {
        image = new Assembler().assemble(TestSources.file("frame.S"));
        symbols = image.symbols();
    }

    @Test
    void pushRegsPushesFifteenRegistersInPtRegsOrder() {
        List<String> pushed = decode(between("push_start", "push_end"), 0x50);

        assertEquals(PUSH_ORDER, pushed);
        assertEquals(120, pushed.size() * 8, "PUSH_REGS adds fifteen quadwords");
        assertEquals(120L, constant("PUSHED_BYTES"));
        assertEquals(168L, constant("PTREGS_BYTES"));
        // With orig_rax and the CPU's five words above it, the frame is a whole pt_regs.
        assertEquals(constant("PTREGS_BYTES") - 6 * 8, constant("PUSHED_BYTES"));
    }

    @Test
    void eachPushLandsAtItsPtRegsOffset() {
        List<String> pushed = decode(between("push_start", "push_end"), 0x50);
        // The last push ends at %rsp (offset 0); each earlier one sits 8 bytes higher.
        for (int index = 0; index < pushed.size(); index++) {
            long offset = (pushed.size() - 1 - index) * 8L;
            String register = pushed.get(index);
            assertEquals(offset, constant("OFFSET_" + register.toUpperCase()), register);
        }
        assertEquals(constant("PUSHED_BYTES"), constant("OFFSET_ORIG_RAX"));
    }

    @Test
    void hardwareFrameOffsetsFollowOrigRax() {
        Map<String, Long> expected = Map.of("OFFSET_ORIG_RAX", 0x78L, "OFFSET_RIP", 0x80L, "OFFSET_CS", 0x88L,
                "OFFSET_EFLAGS", 0x90L, "OFFSET_RSP", 0x98L, "OFFSET_SS", 0xa0L);
        expected.forEach((name, offset) -> assertEquals(offset, constant(name), name));
    }

    @Test
    void popRegsUndoesPushRegsInReverse() {
        List<String> popped = decode(between("push_end", "pop_end"), 0x58);
        assertEquals(PUSH_ORDER.reversed(), popped);
    }

    @Test
    void pushAndClearRegsClearsAfterPushing() {
        byte[] code = between("clearing_entry", "clearing_end");
        byte[] pushes = between("push_start", "push_end");
        assertEquals(HexFormat.of().formatHex(pushes), HexFormat.of().formatHex(code, 0, pushes.length));
        assertEquals("31f6" + "31d2" + "31c9" + "4531c0" + "4531c9" + "4531d2" + "4531db" + "31db" + "31ed"
                        + "4531e4" + "4531ed" + "4531f6" + "4531ff",
                HexFormat.of().formatHex(code, pushes.length, code.length));
    }

    @Test
    void swapgsMacroIsEmptyButTheInstructionSurvives() {
        assertEquals(0, between("clearing_end", "swapgs_macro_end").length);
        assertEquals("0f01f8", HexFormat.of().formatHex(between("swapgs_macro_end", "swapgs_insn_end")));
    }

    @Test
    void architecturalConstantsHaveTheirSdmValues() {
        assertEquals(0x10L, constant("KERNEL_CS"));
        assertEquals(2L, constant("TRAP_NMI"));
        assertEquals(18L, constant("TRAP_MC"));
        assertEquals(0x17aL, constant("MCG_STATUS_MSR"));
        assertEquals(0x179L, constant("MCG_CAP_MSR"));
        assertEquals(0xfee00000L, constant("APIC_BASE"));
        assertEquals(0x200L, constant("EFLAGS_IF"));
    }

    @Test
    void symCodeStartAlignsAndExports() {
        long clearing = symbols.requireAddress("clearing_entry");
        assertEquals(0, clearing % 16, "SYM_CODE_START aligns to 16 bytes");
        assertEquals(Symbol.Binding.GLOBAL, symbols.lookup("clearing_entry").orElseThrow().binding());
        assertEquals(Symbol.Binding.LOCAL, symbols.lookup("push_start").orElseThrow().binding());
    }

    @Test
    void constantsAreNotAddresses() {
        assertEquals(168L, symbols.constant("PTREGS_BYTES").orElseThrow());
        assertEquals(java.util.Optional.empty(), symbols.addressOf("PTREGS_BYTES"));
    }

    private static long constant(String name) {
        return symbols.constant(name).orElseThrow(() -> new AssertionError("no constant " + name));
    }

    private static byte[] between(String from, String to) {
        long start = symbols.requireAddress(from);
        return image.bytesAt(start, (int) (symbols.requireAddress(to) - start));
    }

    /** Decodes a run of one-register push (0x50) or pop (0x58) instructions, failing on anything else. */
    private static List<String> decode(byte[] code, int opcodeBase) {
        List<String> registers = new ArrayList<>();
        for (int at = 0; at < code.length; at++) {
            boolean rexB = code[at] == 0x41;
            if (rexB) {
                at++;
            }
            int opcode = code[at] & 0xff;
            if (opcode < opcodeBase || opcode > opcodeBase + 7) {
                throw new AssertionError("not a push/pop at +" + at + ": " + HexFormat.of().formatHex(code));
            }
            registers.add((rexB ? HIGH_REGISTERS : LOW_REGISTERS).get(opcode - opcodeBase));
        }
        return registers;
    }
}
