package dev.nmilab.x86.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * GNU as source for the corpus run against Unicorn: one instruction per line. Registers hold
 * {@link #V} (0x100000) except rsp; rax, rcx, rdx and r9 are the only registers the corpus writes
 * (string ops, cpuid and the like are followed by {@link #reset()}), so every memory operand, built on
 * the other registers, lands in the mapped scratch memory below 16 MiB. "@NEXTn" stands for the label
 * of the n-th line after this one, for branches to the next instruction.
 */
final class InstructionCorpus {
    static final long V = 0x100000;

    /** Memory operands for every ModRM/SIB/displacement form, RIP- and EIP-relative, 67 and overrides. */
    static final String[] MEMORY = {
        "(%rbx)", "(%rbp)", "(%rsp)", "(%r12)", "(%r13)", "0x7f(%rsi)", "-0x80(%rdi)", "0x1234(%r8)",
        "-0x1234(%r15)", "0x40(%rsp)", "(%rbx,%rsi)", "(%rbx,%rsi,2)", "0x10(%r10,%r11,4)", "-0x100(%r14,%r12,8)",
        "0x12345(%r8,%r11,1)", "(%r15,%r13,1)", "0x8(%rbp,%rsi,8)", "(,%rsi,2)", "0x1000(,%rdi,4)", "0x100000",
        "data_area(%rip)", "data_area+0x40(%rip)", "(%ebx)", "0x10(%esi,%edi,2)", "(%r12d)", "-0x10(%r13d)",
        "data_area(%eip)", "%fs:(%rbx)", "%gs:0x10(%rsi)", "%es:(%rdi)", "%cs:(%rbx)", "%ss:(%rbp)",
        "%ds:0x20(%r8)", "0x7fff(%r14d,%r10d,8)",
    };

    /** 16-byte aligned memory for cmpxchg16b, fxsave and friends. */
    static final String[] ALIGNED = {"(%rbx)", "0x40(%rsi)", "-0x80(%rdi)", "0x1000(%r12,%r13,2)", "data_area(%rip)",
        "(%r14d)"};

    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge",
        "le", "g"};

    private final List<String> lines = new ArrayList<>();
    private int next;

    private InstructionCorpus() {
    }

    private String m() {
        return MEMORY[next++ % MEMORY.length];
    }

    private String a() {
        return ALIGNED[next++ % ALIGNED.length];
    }

    private void add(String... instructions) {
        lines.addAll(List.of(instructions));
    }

    /** Text with one instruction per line (blank lines ignored). */
    private void block(String text) {
        text.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(lines::add);
    }

    /** Registers the corpus may have moved back to V: every register memory operands are built on. */
    static List<String> reset() {
        List<String> out = new ArrayList<>();
        for (String reg : new String[] {"rbx", "rbp", "rsi", "rdi", "r8", "r10", "r11", "r12", "r13", "r14", "r15"}) {
            out.add("movabs $0x" + Long.toHexString(V) + ", %" + reg);
        }
        return out;
    }

    /** What the engine must make of a snippet's last instruction. */
    enum Expect {
        /** Unicorn accepts it (and may fault, jump away or switch modes right after). */
        RUNS,
        /** Valid only with a CPU feature or state this engine may lack: the assembler's length if rejected. */
        MODEL_GATED,
        /** QEMU rejects it whatever the CPU model: the decoder says -1. */
        INVALID
    }

    /** A few instructions run on their own; only the last may fault, transfer away or be rejected. */
    record Snippet(List<String> prelude, String last, Expect expect) {
    }

    private static Snippet runs(String last, String... prelude) {
        return new Snippet(List.of(prelude), last, Expect.RUNS);
    }

    private static Snippet gated(String last, String... prelude) {
        return new Snippet(List.of(prelude), last, Expect.MODEL_GATED);
    }

    private static Snippet invalid(String last) {
        return new Snippet(List.of(), last, Expect.INVALID);
    }

    static List<Snippet> snippets() {
        List<Snippet> s = new ArrayList<>();
        // control transfers that leave the corpus, far transfers, exceptions and mode changes
        s.add(runs(".byte 0x66, 0xe8, 0x00, 0x00")); // rel16: RIP is cut to 16 bits
        s.add(runs(".byte 0x66, 0xe9, 0x00, 0x00"));
        s.add(runs(".byte 0x66, 0x0f, 0x85, 0x00, 0x00", "xor %eax, %eax"));
        s.add(runs(".byte 0x66, 0x0f, 0x84, 0x00, 0x00", "xor %eax, %eax"));
        s.add(runs(".byte 0x66, 0xc3", "pushq $0x1234"));
        s.add(runs(".byte 0x66, 0xc2, 0x08, 0x00", "pushq $0x1234"));
        s.add(runs("int3"));
        s.add(runs("int $0x80"));
        s.add(runs("iretq"));
        s.add(runs("lretq"));
        s.add(runs("lret $8"));
        s.add(runs("ljmp *(%rbx)"));
        s.add(runs("lcall *0x10(%rsi)"));
        s.add(runs("rex64 ljmp *(%rbx)"));
        s.add(runs("mov %rax, %cr0", "mov %cr0, %rax"));
        s.add(runs("mov %rax, %cr3", "mov %cr3, %rax"));
        s.add(runs("mov %rax, %cr4", "mov %cr4, %rax"));
        s.add(runs("mov %rax, %cr8", "xor %eax, %eax"));
        s.add(runs("lmsw %ax", "smsw %eax"));
        s.add(runs("lmsw (%rbx)", "smsw (%rbx)"));
        s.add(runs("ltr %ax", "xor %eax, %eax"));
        s.add(runs("mov %eax, %ss", "mov %ss, %eax"));
        s.add(runs("lss 0x208(%rbx), %eax", "movl $0x10, 0x208(%rbx)", "movw $0, 0x20c(%rbx)"));
        s.add(runs("wrmsr", "mov $0xc0000080, %ecx", "rdmsr"));
        s.add(runs("hlt"));
        s.add(runs("jmp *%rax", "xor %eax, %eax"));
        s.add(runs("ret", "pushq $0"));
        // valid only on some CPU models or in some states: the engine's default CPU lacks several
        for (String last : new String[] {"movbe (%rbx), %eax", "movbe %ecx, 0x10(%rsi)", "movbew (%rbx), %ax",
            "movbeq -0x80(%rdi), %rdx", "popcnt %ecx, %edx", "popcnt (%rbx), %rax", "popcntw 0x10(%rsi,%rdi,2), %dx",
            "pclmulqdq $0, %xmm1, %xmm2", "pclmulqdq $0x11, 0x40(%rbx), %xmm3", "rdrand %eax", "rdseed %rdx",
            "rdrand %cx", "xgetbv", "xsetbv", "xsave (%rbx)", "xrstor (%rbx)", "xsaveopt (%rbx)", "xsave64 (%rbx)",
            "monitor", "mwait", "clflushopt (%rbx)", "clwb 0x40(%rsi)", "rdfsbase %rax", "rdgsbase %ecx",
            "wrfsbase %rdx", "wrgsbase %rax", "rdpkru", "wrpkru", "sysenter", "sysexit", "syscall", "sysretq",
            "sysretl", "rdpmc", "vmrun", "vmmcall", "vmload", "vmsave", "stgi", "clgi", "skinit", "invlpga"}) {
            s.add(gated(last, "xor %ecx, %ecx", "xor %edx, %edx", "xor %eax, %eax"));
        }
        // rejected by QEMU whatever the model
        for (String last : new String[] {"ud2", "ud1 (%rax), %eax", "ud0 (%rax), %eax", ".byte 0xce", ".byte 0xd4, 0x0a",
            ".byte 0xd5, 0x0a", ".byte 0x06", ".byte 0x07", ".byte 0x0e", ".byte 0x16", ".byte 0x17", ".byte 0x1e",
            ".byte 0x1f", ".byte 0x27", ".byte 0x2f", ".byte 0x37", ".byte 0x3f", ".byte 0x60", ".byte 0x61",
            ".byte 0x62, 0x03", ".byte 0xd6", ".byte 0x9a, 1, 2, 3, 4, 5, 6", ".byte 0xea, 1, 2, 3, 4, 5, 6",
            ".byte 0x82, 0xc0, 0x01", ".byte 0xf1", ".byte 0xf6, 0xc8, 0x01", ".byte 0xf7, 0x0b, 1, 2, 3, 4",
            ".byte 0xf0, 0x01, 0xc1", ".byte 0xf0, 0x03, 0x03", ".byte 0xf0, 0x05, 1, 2, 3, 4", ".byte 0xf0, 0x90",
            ".byte 0xf0, 0xae", ".byte 0xf0, 0x48, 0xaf", ".byte 0xf0, 0x83, 0xc0, 0x01", ".byte 0xf0, 0xff, 0xc0",
            ".byte 0xf0, 0xf7, 0xd8", ".byte 0xf0, 0x0f, 0xb1, 0xc8", ".byte 0xf0, 0x0f, 0xc7, 0xf0",
            "vaddps %ymm1, %ymm2, %ymm3", "vmovdqa (%rbx), %ymm1", "vbroadcastss (%rbx), %xmm1",
            "vfmadd231ps %xmm1, %xmm2, %xmm3", "vpermq $0, %ymm1, %ymm2", "vcvtph2ps %xmm1, %xmm2",
            ".byte 0xc4, 0xe2, 0x7c, 0xf2, 0xc0", ".byte 0x66, 0xc5, 0xf8, 0x58, 0xc0", ".byte 0x48, 0xc5, 0xf8, 0x58, 0xc0",
            ".byte 0xf3, 0xc4, 0xe2, 0x78, 0xf2, 0xc0", ".byte 0xc4, 0xe0, 0x78, 0x58, 0xc0", ".byte 0xc4, 0xe4, 0x78, 0x58, 0xc0",
            ".byte 0x0f, 0x38, 0xf2, 0xc0", ".byte 0x0f, 0x38, 0xf5, 0xc0", ".byte 0x44, 0xc6, 0x03, 0x01",
            ".byte 0xc6, 0x08, 0x01", ".byte 0xc7, 0xc8, 1, 2, 3, 4", ".byte 0x0f, 0x20, 0xc8", ".byte 0x0f, 0x22, 0xe8",
            ".byte 0x44, 0x0f, 0x20, 0xc8", ".byte 0x44, 0x0f, 0x21, 0xc0", ".byte 0x0f, 0xc7, 0xc8", ".byte 0x0f, 0xc7, 0x18",
            ".byte 0x0f, 0xba, 0xc0, 0x01", ".byte 0x0f, 0xc2, 0xc0, 0x08", ".byte 0x0f, 0x0f, 0xc1, 0x00",
            ".byte 0x0f, 0x01, 0xc1", ".byte 0x0f, 0x01, 0x28", ".byte 0x0f, 0x00, 0x30", ".byte 0x0f, 0xaa",
            ".byte 0x0f, 0x37", ".byte 0x0f, 0x04", ".byte 0x0f, 0x0a", ".byte 0x0f, 0x24, 0xc0", ".byte 0x0f, 0x36",
            ".byte 0x0f, 0x7a, 0xc0", ".byte 0x0f, 0xa6, 0xc0", ".byte 0x0f, 0xff, 0xc0", ".byte 0x8d, 0xc0",
            ".byte 0x8e, 0xc8", ".byte 0x8c, 0xf0", ".byte 0xfe, 0x10", ".byte 0xff, 0x38", ".byte 0xdd, 0x28",
            ".byte 0xd9, 0xd1", ".byte 0xd9, 0x08", ".byte 0xdb, 0xe5", ".byte 0xdf, 0xe1", ".byte 0x0f, 0x0d, 0xc0",
            ".byte 0x0f, 0x18, 0xc0", ".byte 0x0f, 0xb2, 0xc0", ".byte 0x0f, 0xc3, 0xc0", ".byte 0x0f, 0xb8, 0xc0",
            ".byte 0xf2, 0x0f, 0xb8, 0xc0", ".byte 0x0f, 0xae, 0xe0", ".byte 0xf0, 0x0f, 0xae, 0xe8",
            ".byte 0x66, 0x0f, 0x01, 0xd0", ".byte 0xf2, 0x0f, 0x6f, 0xc1",
            ".byte 0x0f, 0x6c, 0xc1", ".byte 0x66, 0x0f, 0x77", ".byte 0x0f, 0xd6, 0xc0", ".byte 0x66, 0x0f, 0xd7, 0x00",
            ".byte 0x66, 0x0f, 0x73, 0xc0, 0x01", ".byte 0x0f, 0x73, 0xd8, 0x01", ".byte 0x66, 0x0f, 0x78, 0xc8, 1, 2",
            ".byte 0x0f, 0x38, 0x10, 0xc1", ".byte 0xf3, 0x0f, 0x38, 0x00, 0xc1", ".byte 0x66, 0x0f, 0x38, 0x2a, 0xc0",
            ".byte 0x0f, 0x3a, 0x08, 0xc1, 0x00", ".byte 0xf3, 0x0f, 0x3a, 0x0f, 0xc1, 0x00", ".byte 0x66, 0x0f, 0x3a, 0x43, 0xc1, 0x00",
            ".byte 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x90",
            ".byte 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8"}) {
            s.add(invalid(last));
        }
        return s;
    }

    /** The instructions that run straight through, ending in hlt. */
    static List<String> straightLine() {
        InstructionCorpus c = new InstructionCorpus();
        c.arithmetic();
        c.moves();
        c.stackAndFlags();
        c.strings();
        c.portIo();
        c.branchesToTheNextInstruction();
        c.system();
        c.x87();
        c.simd();
        c.bmiAndFriends();
        c.qemuSpecific();
        c.add("hlt");
        return c.lines;
    }

    private void arithmetic() {
        for (String op : new String[] {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"}) {
            add(op + "b %cl, %dl", op + "b %ch, %dh", op + "b %cl, %r9b", op + "w %cx, %dx", op + "l %ecx, %edx",
                    op + "q %rcx, %rdx", op + "q %r9, %rax", op + "l " + m() + ", %eax", op + "q %rcx, " + m(),
                    op + "w " + m() + ", %dx", op + "b %dl, " + m(), op + "q " + m() + ", %r9",
                    op + "b $0x7f, %al", op + "w $0x1234, %ax", op + "l $0x12345678, %eax", op + "q $-0x1234567, %rax",
                    op + "b $0x12, " + m(), op + "w $0x1234, " + m(), op + "l $0x12345678, " + m(),
                    op + "q $0x7f, " + m(), op + "l $-3, %ecx", op + "q $0x12345, %rdx", op + "w $-2, %r9w",
                    op + "q $0x12345678, " + m());
            if (!op.equals("cmp")) {
                add("lock " + op + "l %ecx, " + m(), "lock " + op + "q $1, " + m(), "lock " + op + "b $0x80, " + m(),
                        "lock " + op + "w %dx, " + m());
            }
        }
        for (int i = 0; i < 4; i++) {
            add("incb " + m(), "decw " + m(), "incl " + m(), "decq " + m(), "lock incl " + m(), "lock decq " + m(),
                    "notb " + m(), "negw " + m(), "lock notl " + m(), "lock negq " + m());
        }
        add("incl %eax", "decq %rcx", "incb %r9b", "decw %dx", "notb %al", "negw %cx", "notl %edx", "negq %r9");
        add("testb $0x7f, %al", "testw $0x1234, %ax", "testl $0x12345678, %eax", "testq $-1, %rax",
                "testb $1, " + m(), "testw $0x1234, " + m(), "testl $0x12345678, " + m(), "testq $0x12345678, " + m(),
                "testl %ecx, " + m(), "testb %dl, %cl", "testq %rdx, %rcx", "testb $0x80, %r9b");
        add("mov $100, %eax", "mov $7, %ecx", "mulb %cl", "mulw %cx", "mull %ecx", "mulq %rcx", "imulb %cl",
                "imulw %cx", "imull %ecx", "imulq %rcx");
        String[][] divisors = {{"b", "%cl"}, {"w", "%cx"}, {"l", "%ecx"}, {"q", "%rcx"}};
        for (String[] d : divisors) {
            String form = d[0];
            add("movq $7, 0x2000(%rbx)", "xor %edx, %edx", "mov $100, %eax", "div" + form + " 0x2000(%rbx)",
                    "xor %edx, %edx", "mov $100, %eax", "idiv" + form + " 0x2000(%rbx)", "mov $3, %ecx",
                    "xor %edx, %edx", "mov $100, %eax", "div" + form + " " + d[1], "xor %edx, %edx", "mov $100, %eax",
                    "idiv" + form + " " + d[1], "mul" + form + " " + m(), "imul" + form + " " + m());
        }
        add("imul %ecx, %edx", "imul " + m() + ", %rax", "imul $0x7f, %ecx, %edx", "imul $0x12345678, " + m() + ", %rdx",
                "imulw $0x1234, %cx, %dx", "imulw $3, " + m() + ", %dx", "imul $-1, %r9, %rax", "imulq " + m() + ", %r9");
        for (String op : new String[] {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"}) {
            add(op + "b %al", op + "w %cl, %dx", op + "l $5, %ecx", op + "q $63, " + m(), op + "b $3, " + m(),
                    op + "l %cl, " + m(), op + "q %rax", op + "w $1, " + m(), op + "b %cl, %r9b", op + "q $1, %rdx");
        }
        add("shld $5, %ecx, %edx", "shld %cl, %rcx, " + m(), "shrd $3, %cx, " + m(), "shrdq %cl, %rcx, %rdx",
                "shldw %cl, %dx, %ax", "shrdl $31, %eax, " + m());
        add("mov $9, %ecx");
        for (String op : new String[] {"bt", "bts", "btr", "btc"}) {
            add(op + "l %ecx, %edx", op + "q %rcx, " + m(), op + "w %cx, " + m(), op + "l $5, " + m(),
                    op + "w $15, %dx", op + "q $63, %rax", op + "l $31, " + m());
            if (!op.equals("bt")) {
                add("lock " + op + "l $3, " + m(), "lock " + op + "q %rcx, " + m());
            }
        }
        add("bsf %ecx, %edx", "bsr " + m() + ", %rax", "tzcnt %ecx, %edx", "lzcnt " + m() + ", %rdx",
                "tzcntw %cx, %dx", "lzcntq %r9, %rax", "bsfw " + m() + ", %cx", "bswap %eax", "bswap %r9", "bswap %rdx");
        for (String cc : CC) {
            add("cmov" + cc + "l " + m() + ", %eax", "cmov" + cc + "q %rcx, %rdx", "cmov" + cc + "w %cx, %dx",
                    "set" + cc + " %al", "set" + cc + " " + m(), "set" + cc + " %r9b");
        }
    }

    private void moves() {
        add("movb %cl, " + m(), "movw " + m() + ", %dx", "movl %ecx, " + m(), "movq " + m() + ", %rax",
                "movb $0x12, " + m(), "movw $0x1234, " + m(), "movl $0x12345678, " + m(), "movq $-1, " + m(),
                "movabs $0x123456789abcdef0, %rax", "mov $0x12345678, %edx", "movw $0x1234, %cx", "movb $0x7f, %r9b",
                "movb $1, %ah", "movabs 0x100000, %al", "movabs 0x100000, %eax", "movabs %rax, 0x100000",
                "movabs %ax, 0x100008", "movabs 0x100010, %rax", "mov %r9, %rcx", "mov %dl, %ah", "movq $0x7f, %rdx",
                ".byte 0x67, 0xa1, 0x00, 0x00, 0x10, 0x00", ".byte 0x67, 0x48, 0xa3, 0x00, 0x01, 0x10, 0x00",
                ".byte 0x66, 0x67, 0xa2, 0x08, 0x00, 0x10, 0x00");
        for (int i = 0; i < 3; i++) {
            add("movzbl " + m() + ", %eax", "movzwq %cx, %rdx", "movsbw %cl, %dx", "movswl " + m() + ", %ecx",
                    "movslq " + m() + ", %rax", "movslq %ecx, %rdx", "movzbl %ah, %edx", "movsbq %r9b, %rax",
                    "lea " + m() + ", %rax", "leaw " + m() + ", %dx", "lea " + m() + ", %ecx");
        }
        add("lea 0x10(%rbx,%rsi,4), %ecx", "addr32 lea (%ebx), %eax");
        add("xchg %ecx, %edx", "xchg %rax, %r9", "xchg %eax, %edx", "xchgw %ax, %cx", "xchg %cl, " + m(),
                "xchgq %rdx, " + m(), "xchgb %ah, %dl", "xadd %ecx, " + m(), "lock xaddq %rdx, " + m(),
                "xaddb %cl, %dl", "cmpxchg %ecx, " + m(), "lock cmpxchgq %rdx, " + m(), "cmpxchgb %cl, %dl",
                "cmpxchgw %cx, " + m(), "cmpxchg8b " + m(), "lock cmpxchg8b " + m(), "cmpxchg16b " + a(),
                "lock cmpxchg16b " + a(), "cbw", "cwde", "cdqe", "cwd", "cdq", "cqo", "xlat");
    }

    private void stackAndFlags() {
        add("push %rax", "push %r9", "pop %rax", "pop %r9", "pushq $0x7f", "pushq $0x12345678", "pushw $0x1234",
                "pushw %ax", "popw %ax", "popw %dx", "pop %rdx", "pop %rdx", "pushq " + m(), "popq " + m(), "pushw " + m(),
                "popw " + m(), "pushf", "popf", "pushfw", "popfw", "pushq $0", "pop %fs", "pushq $0", "pop %gs",
                "push %fs", "pop %rdx", "push %gs", "pop %rcx", "push %rcx", ".byte 0x8f, 0x0b",
                "enter $0x10, $0", "leave", "enter $0x20, $1", "leave", "enter $8, $3", "leaveq",
                "clc", "stc", "cmc", "std", "cld", "cli", "sti", "lahf", "sahf", "pushfq", "popfq");
    }

    private void strings() {
        block("""
                mov $4, %ecx
                movsb
                movsw
                movsl
                movsq
                rep movsb
                mov $4, %ecx
                rep movsq
                stosb
                mov $3, %ecx
                rep stosl
                lodsb
                lodsq
                mov $2, %ecx
                rep lodsw
                scasb
                mov $5, %ecx
                repne scasb
                repe scasl
                cmpsb
                mov $2, %ecx
                repe cmpsq
                repne cmpsw
                addr32 movsb
                addr32 rep stosq
                movsb %fs:(%rsi), %es:(%rdi)
                lodsw %gs:(%rsi)
                .byte 0xf0, 0xa4
                .byte 0xf3, 0x48, 0xab
                .byte 0x66, 0xf2, 0xa5
                """);
        lines.addAll(reset());
    }

    private void portIo() {
        block("""
                in $0x60, %al
                in $0x60, %ax
                in $0x60, %eax
                out %al, $0x80
                out %ax, $0x80
                out %eax, $0x80
                in %dx, %al
                in %dx, %ax
                in %dx, %eax
                out %al, %dx
                out %ax, %dx
                out %eax, %dx
                insb
                insw
                insl
                outsb
                outsw
                outsl
                mov $3, %ecx
                rep insb
                mov $2, %ecx
                rep outsl
                rep insw
                .byte 0x48, 0xe5, 0x60
                .byte 0x66, 0x48, 0xef
                .byte 0xf3, 0x66, 0x6d
                """);
        lines.addAll(reset());
    }

    private void branchesToTheNextInstruction() {
        add(".byte 0xeb, 0x00", ".byte 0xe9, 0x00, 0x00, 0x00, 0x00", ".byte 0x48, 0xe9, 0x00, 0x00, 0x00, 0x00",
                ".byte 0xe8, 0x00, 0x00, 0x00, 0x00", "add $8, %rsp", ".byte 0x2e, 0x74, 0x00", ".byte 0x3e, 0x75, 0x00",
                ".byte 0xf2, 0xe9, 0x00, 0x00, 0x00, 0x00", ".byte 0xf2, 0xeb, 0x00");
        for (int cc = 0; cc < 16; cc++) {
            add(String.format(".byte 0x%x, 0x00", 0x70 + cc), String.format(".byte 0x0f, 0x%x, 0, 0, 0, 0", 0x80 + cc));
        }
        add("mov $3, %ecx", ".byte 0xe2, 0x00", ".byte 0xe1, 0x00", ".byte 0xe0, 0x00", ".byte 0xe3, 0x00",
                ".byte 0x67, 0xe3, 0x00", ".byte 0x67, 0xe2, 0x00");
        add("lea @NEXT2(%rip), %rax", "jmp *%rax");
        add("lea @NEXT2(%rip), %rax", "call *%rax", "add $8, %rsp");
        add("lea @NEXT2(%rip), %rax", ".byte 0x3e, 0xff, 0xe0");
        add("lea @NEXT3(%rip), %rax", "mov %rax, 0x300(%rbx)", "jmp *0x300(%rbx)");
        add("lea @NEXT3(%rip), %rax", "mov %rax, 0x308(%rbx)", "call *0x308(%rbx)", "pop %rdx");
        add("lea @NEXT3(%rip), %rax", "push %rax", "ret");
        add("lea @NEXT4(%rip), %rax", "push %rax", "push %rax", "ret $8");
        add("lea @NEXT3(%rip), %rax", "push %rax", ".byte 0xf3, 0xc3");
        add("lea @NEXT3(%rip), %rax", "mov %rax, data_area+0x80(%rip)", "jmp *data_area+0x80(%rip)");
        add("lea @NEXT2(%rip), %r9", "jmp *%r9");
    }

    private void system() {
        add("xor %eax, %eax", "cpuid");
        lines.addAll(reset());
        add("mov $0x80000001, %eax", "cpuid");
        lines.addAll(reset());
        block("""
                rdtsc
                rdtscp
                wbinvd
                invd
                clts
                invlpg (%rbx)
                invlpg 0x1000(%rsi,%rdi,2)
                sgdt 0x100(%rbx)
                lgdt 0x100(%rbx)
                sidt 0x110(%rbx)
                lidt 0x110(%rbx)
                sldt %eax
                sldt 0x120(%rbx)
                str %eax
                str 0x122(%rbx)
                xor %eax, %eax
                lldt %ax
                verr %ax
                verw %cx
                lar %ax, %edx
                lsl %ax, %ecx
                smsw %eax
                smsw 0x124(%rbx)
                swapgs
                swapgs
                mov %cr0, %rax
                mov %cr2, %rax
                mov %cr3, %rax
                mov %cr4, %rax
                mov %cr8, %rax
                mov %dr7, %rax
                mov %rax, %dr7
                mov %dr0, %rdx
                mov %rdx, %dr0
                mov %dr6, %rcx
                mov $0xc0000100, %ecx
                rdmsr
                wrmsr
                clac
                stac
                mov %ds, %eax
                mov %eax, %ds
                mov %es, %ecx
                mov %ecx, %es
                mov %fs, 0x126(%rbx)
                movw $0, 0x128(%rbx)
                mov 0x128(%rbx), %fs
                mov %ss, %edx
                movl $0x10, 0x208(%rbx)
                movw $0, 0x20c(%rbx)
                lfs 0x208(%rbx), %eax
                lgs 0x208(%rbx), %ecx
                lfsw 0x208(%rbx), %dx
                fxsave (%rbx)
                fxrstor (%rbx)
                rex64 fxsave 0x200(%rsi)
                rex64 fxrstor 0x200(%rsi)
                stmxcsr 0x130(%rbx)
                ldmxcsr 0x130(%rbx)
                lfence
                mfence
                sfence
                clflush (%rbx)
                clflush 0x40(%r12,%r13,1)
                prefetcht0 (%rbx)
                prefetcht1 0x40(%rsi)
                prefetcht2 -0x80(%rdi)
                prefetchnta 0x12345(%r8,%r11,1)
                prefetch (%rbx)
                prefetchw 0x10(%rsi)
                nop
                pause
                endbr64
                nopl (%rax)
                nopw 0x0(%rax,%rax,1)
                nopl 0x0(%rax,%rax,1)
                nopw %cs:0x0(%rax,%rax,1)
                .byte 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00
                .byte 0x0f, 0x19, 0x00
                .byte 0x0f, 0x1a, 0x44, 0x24, 0x08
                .byte 0xf3, 0x0f, 0x1b, 0x03
                .byte 0x0f, 0x1c, 0xc0
                .byte 0x0f, 0x1d, 0x80, 0x00, 0x00, 0x00, 0x00
                .byte 0x0f, 0x1e, 0xfb
                .byte 0x0f, 0x18, 0xe0
                .byte 0x0f, 0x18, 0x38
                """);
        lines.addAll(reset());
    }

    private void x87() {
        add("fninit");
        String[] memory = {"fadds", "fmuls", "fcoms", "fcomps", "fsubs", "fsubrs", "fdivs", "fdivrs", "faddl", "fmull",
            "fcoml", "fcompl", "fsubl", "fsubrl", "fdivl", "fdivrl", "fiaddl", "fimull", "ficoml", "ficompl",
            "fisubl", "fisubrl", "fidivl", "fidivrl", "fiadds", "fimuls", "ficoms", "ficomps", "fisubs", "fisubrs",
            "fidivs", "fidivrs", "flds", "fsts", "fstps", "fildl", "fisttpl", "fistl", "fistpl", "fldt", "fstpt",
            "fldl", "fisttpll", "fstl", "fstpl", "filds", "fisttps", "fists", "fistps", "fbld", "fildll", "fbstp",
            "fistpll", "fnstsw", "fnstcw"};
        for (String op : memory) {
            add(op + " " + m());
        }
        add("fnstenv 0x400(%rbx)", "fldenv 0x400(%rbx)", "fnstcw 0x440(%rbx)", "fldcw 0x440(%rbx)",
                "fnsave 0x480(%rbx)", "frstor 0x480(%rbx)", "fwait", "fnclex", "fninit");
        // every register form QEMU implements, including the undocumented aliases
        int[] valid = {
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0xff, 0x33, 0x7f, 0xff, 0xff,
            0xff, 0xff, 0xff, 0xff, 0x00, 0x02, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff, 0x00,
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00,
            0xff, 0xff, 0xff, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0xff, 0xff, 0x00};
        for (int op = 0; op < 64; op++) {
            for (int rm = 0; rm < 8; rm++) {
                if ((valid[op] & (1 << rm)) != 0) {
                    add(String.format(".byte 0x%x, 0x%x", 0xd8 + (op >> 3), 0xc0 | ((op & 7) << 3) | rm));
                }
            }
        }
        add("fninit");
    }

    private void simd() {
        String[] xmmOps = {"movups", "movupd", "movaps", "movapd", "unpcklps", "unpcklpd", "unpckhps", "unpckhpd",
            "sqrtps", "sqrtpd", "sqrtss", "sqrtsd", "rsqrtps", "rsqrtss", "rcpps", "rcpss", "andps", "andpd",
            "andnps", "andnpd", "orps", "orpd", "xorps", "xorpd", "addps", "addpd", "addss", "addsd", "mulps",
            "mulpd", "mulss", "mulsd", "cvtps2pd", "cvtpd2ps", "cvtss2sd", "cvtsd2ss", "cvtdq2ps", "cvtps2dq",
            "cvttps2dq", "subps", "subpd", "subss", "subsd", "minps", "minpd", "minss", "minsd", "divps", "divpd",
            "divss", "divsd", "maxps", "maxpd", "maxss", "maxsd", "ucomiss", "ucomisd", "comiss", "comisd",
            "movsldup", "movshdup", "movddup", "haddpd", "haddps", "hsubpd", "hsubps", "addsubpd", "addsubps",
            "cvttpd2dq", "cvtdq2pd", "cvtpd2dq", "punpcklqdq", "punpckhqdq", "movdqa", "movdqu", "lddqu",
            "pshufb", "phaddw", "phaddd", "phaddsw", "pmaddubsw", "phsubw", "phsubd", "phsubsw", "psignb", "psignw",
            "psignd", "pmulhrsw", "pabsb", "pabsw", "pabsd", "ptest", "pmovsxbw", "pmovsxbd", "pmovsxbq",
            "pmovsxwd", "pmovsxwq", "pmovsxdq", "pmovzxbw", "pmovzxbd", "pmovzxbq", "pmovzxwd", "pmovzxwq",
            "pmovzxdq", "pmuldq", "pcmpeqq", "packusdw", "pcmpgtq", "pminsb", "pminsd", "pminuw", "pminud", "pmaxsb",
            "pmaxsd", "pmaxuw", "pmaxud", "pmulld", "phminposuw", "aesimc", "aesenc", "aesenclast", "aesdec",
            "aesdeclast"};
        for (String op : xmmOps) {
            add(op + " " + a() + ", %xmm1", op.equals("lddqu") ? "lddqu " + m() + ", %xmm2" : op + " %xmm2, %xmm3");
        }
        add("pblendvb %xmm0, %xmm1, %xmm2", "blendvps %xmm0, " + a() + ", %xmm3", "blendvpd %xmm0, %xmm4, %xmm5",
                "movntdqa " + a() + ", %xmm6");
        String[] mmxOps = {"punpcklbw", "punpcklwd", "punpckldq", "packsswb", "pcmpgtb", "pcmpgtw", "pcmpgtd",
            "packuswb", "punpckhbw", "punpckhwd", "punpckhdq", "packssdw", "pcmpeqb", "pcmpeqw", "pcmpeqd", "psrlw",
            "psrld", "psrlq", "paddq", "pmullw", "psubusb", "psubusw", "pminub", "pand", "paddusb", "paddusw",
            "pmaxub", "pandn", "pavgb", "psraw", "psrad", "pavgw", "pmulhuw", "pmulhw", "psubsb", "psubsw", "pminsw",
            "por", "paddsb", "paddsw", "pmaxsw", "pxor", "psllw", "pslld", "psllq", "pmuludq", "pmaddwd", "psadbw",
            "psubb", "psubw", "psubd", "psubq", "paddb", "paddw", "paddd", "pshufb", "pabsd", "phaddw", "psignd"};
        for (String op : mmxOps) {
            add(op + " %mm1, %mm2", op + " " + m() + ", %mm3", op + " %xmm1, %xmm2", op + " " + a() + ", %xmm3");
        }
        add("movd %eax, %mm1", "movd %mm1, %eax", "movq %rax, %mm2", "movq %mm2, %rdx", "movd " + m() + ", %mm3",
                "movd %mm3, " + m(), "movd %eax, %xmm1", "movd %xmm1, %eax", "movq %rax, %xmm2", "movq %xmm2, %rdx",
                "movd " + m() + ", %xmm3", "movd %xmm3, " + m(), "movq " + m() + ", %mm4", "movq %mm4, " + m(),
                "movq %mm4, %mm5", "movq " + m() + ", %xmm4", "movq %xmm4, " + m(), "movq %xmm4, %xmm5",
                "movdqa %xmm1, " + a(), "movdqu %xmm2, " + m(), "movups %xmm3, " + m(), "movaps %xmm4, " + a(),
                "movss " + m() + ", %xmm1", "movss %xmm1, " + m(), "movss %xmm2, %xmm3", "movsd " + m() + ", %xmm1",
                "movsd %xmm1, " + m(), "movsd %xmm2, %xmm3", "movlps " + m() + ", %xmm1", "movlps %xmm1, " + m(),
                "movlpd " + m() + ", %xmm2", "movlpd %xmm2, " + m(), "movhps " + m() + ", %xmm1", "movhps %xmm1, " + m(),
                "movhpd " + m() + ", %xmm2", "movhpd %xmm2, " + m(), "movhlps %xmm1, %xmm2", "movlhps %xmm3, %xmm4",
                "movntps %xmm1, " + a(), "movntpd %xmm2, " + a(), "movntdq %xmm3, " + a(), "movnti %eax, " + m(),
                "movnti %rdx, " + m(), "movntq %mm1, " + m(), "movmskps %xmm1, %eax", "movmskpd %xmm2, %edx",
                "pmovmskb %mm1, %eax", "pmovmskb %xmm2, %ecx", "cvtpi2ps %mm1, %xmm1", "cvtpi2pd " + m() + ", %xmm2",
                "cvtsi2ss %eax, %xmm1", "cvtsi2ssq %rdx, %xmm2", "cvtsi2sdl " + m() + ", %xmm3", "cvtsi2sd %rax, %xmm4",
                "cvttps2pi %xmm1, %mm1", "cvttpd2pi " + a() + ", %mm2", "cvtps2pi %xmm2, %mm3", "cvtpd2pi %xmm3, %mm4",
                "cvttss2si %xmm1, %eax", "cvttsd2si " + m() + ", %rdx", "cvtss2si %xmm2, %rcx",
                "cvtsd2si %xmm3, %eax", "pshufw $0x1b, %mm1, %mm2", "pshufd $0x1b, " + a() + ", %xmm1",
                "pshufhw $0x1b, %xmm2, %xmm3", "pshuflw $0x1b, " + m() + ", %xmm4", "psrlw $3, %mm1", "psraw $3, %mm2",
                "psllw $3, %mm3", "psrld $5, %xmm1", "psrad $5, %xmm2", "pslld $5, %xmm3", "psrlq $7, %mm4",
                "psllq $7, %xmm4", "psrldq $3, %xmm5", "pslldq $3, %xmm6", "emms", "cmpps $1, %xmm1, %xmm2",
                "cmppd $2, " + a() + ", %xmm3", "cmpss $3, %xmm4, %xmm5", "cmpsd $7, " + m() + ", %xmm6",
                "pinsrw $3, %eax, %mm1", "pinsrw $5, " + m() + ", %xmm1", "pextrw $3, %mm1, %eax",
                "pextrw $5, %xmm1, %edx", "shufps $0x1b, %xmm1, %xmm2", "shufpd $1, " + a() + ", %xmm3",
                "movq2dq %mm1, %xmm1", "movdq2q %xmm2, %mm2", "lea 0x600(%rbx), %rdi", "maskmovq %mm1, %mm2",
                "maskmovdqu %xmm1, %xmm2", "extrq $8, $4, %xmm1", "insertq $8, $4, %xmm2, %xmm3",
                "extrq %xmm4, %xmm5", "insertq %xmm6, %xmm7", "palignr $3, %mm1, %mm2", "palignr $5, " + a() + ", %xmm1",
                "roundps $1, %xmm1, %xmm2", "roundpd $2, " + a() + ", %xmm3", "roundss $3, %xmm4, %xmm5",
                "roundsd $4, " + m() + ", %xmm6", "blendps $5, %xmm1, %xmm2", "blendpd $1, " + a() + ", %xmm3",
                "pblendw $0x55, %xmm4, %xmm5", "pextrb $3, %xmm1, %eax", "pextrb $3, %xmm1, " + m(),
                "pextrw $5, %xmm1, " + m(), "pextrd $2, %xmm2, %ecx", "pextrd $2, %xmm2, " + m(),
                "pextrq $1, %xmm3, %rdx", "pextrq $1, %xmm3, " + m(), "extractps $1, %xmm4, %eax",
                "extractps $2, %xmm4, " + m(), "pinsrb $5, %eax, %xmm1", "pinsrb $5, " + m() + ", %xmm1",
                "insertps $0x10, %xmm2, %xmm3", "insertps $0x20, " + m() + ", %xmm3", "pinsrd $1, %ecx, %xmm4",
                "pinsrd $2, " + m() + ", %xmm4", "pinsrq $1, %rdx, %xmm5", "pinsrq $0, " + m() + ", %xmm5",
                "dpps $0xff, %xmm1, %xmm2", "dppd $0x31, " + a() + ", %xmm3", "mpsadbw $1, %xmm4, %xmm5",
                "pcmpestrm $0, %xmm1, %xmm2", "pcmpestri $0, " + a() + ", %xmm3", "pcmpistrm $0x40, %xmm4, %xmm5",
                "pcmpistri $0, %xmm6, %xmm7", "aeskeygenassist $1, %xmm1, %xmm2", "crc32b %cl, %eax",
                "crc32w %cx, %eax", "crc32l " + m() + ", %edx", "crc32q %rcx, %rax", "crc32b " + m() + ", %rdx",
                "femms", "pfadd %mm1, %mm2", "pfmul " + m() + ", %mm3", "pi2fd %mm4, %mm5", "pswapd %mm6, %mm7",
                "pavgusb %mm1, %mm0", "pfrcpit1 %mm2, %mm3", "pmulhrw %mm4, %mm5", "emms",
                "vaddps %xmm1, %xmm2, %xmm3", "vmovdqa " + a() + ", %xmm1", "vpshufb %xmm1, %xmm2, %xmm3",
                "vpalignr $3, %xmm1, %xmm2, %xmm3", "vpxor %xmm4, %xmm5, %xmm6", "vmovd %eax, %xmm7",
                "vpextrd $1, %xmm1, %ecx", "vzeroupper", "vzeroall", "vaesenc %xmm1, %xmm2, %xmm3",
                "vpinsrq $1, %rdx, %xmm1, %xmm1", "vmovq %xmm1, %rax", "vpcmpistri $0, %xmm2, %xmm3",
                "lea 0x600(%rbx), %rdi");
    }

    private void bmiAndFriends() {
        block("""
                andn %ecx, %edx, %eax
                andn (%rbx), %r9, %rax
                andn 0x10(%rsi,%rdi,4), %rcx, %rdx
                bextr %ecx, %edx, %eax
                bextr %r9, (%rbx), %rax
                blsr %ecx, %eax
                blsr (%rsi), %r9
                blsmsk %edx, %ecx
                blsmsk 0x40(%rbx), %rax
                blsi %ecx, %edx
                blsi data_area(%rip), %r9
                bzhi %ecx, %edx, %eax
                bzhi %r9, -0x80(%rdi), %rax
                pdep %ecx, %edx, %eax
                pdep (%rbx), %r9, %rdx
                pext %ecx, %edx, %eax
                pext 0x1234(%r8), %rcx, %rax
                rorx $5, %ecx, %eax
                rorx $63, (%rbx), %rdx
                sarx %ecx, %edx, %eax
                sarx %r9, (%rsi), %rax
                shlx %ecx, %edx, %eax
                shlx %rcx, 0x8(%rbp,%rsi,8), %rdx
                shrx %ecx, %edx, %eax
                shrx %r9, %rcx, %rax
                mulx %ecx, %eax, %r9d
                mulx (%rbx), %rax, %rcx
                adcx %ecx, %edx
                adcx (%rbx), %rax
                adox %ecx, %edx
                adox 0x10(%rsi), %r9
                """);
    }

    /** Encodings QEMU reads its own way (see X86Decoder): they must run and report these sizes. */
    private void qemuSpecific() {
        block("""
                .byte 0x48, 0x66, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8
                .byte 0x41, 0x66, 0xb9, 1, 2
                .byte 0x48, 0xf3, 0x90
                .byte 0xc6, 0xf8, 0x01
                .byte 0xc7, 0xf8, 0, 0, 0, 0
                push %rax
                .byte 0x8f, 0x0b
                .byte 0xf0, 0x31, 0xc0
                .byte 0xf0, 0x33, 0xd2
                .byte 0xf0, 0x88, 0x03
                .byte 0xf0, 0x0f, 0xb6, 0x03
                .byte 0x0f, 0x71, 0x14, 0x05
                .byte 0x0f, 0x72, 0xa4, 0x05
                .byte 0x66, 0x0f, 0x73, 0x9c, 0x05
                .byte 0x0f, 0x50, 0x84
                .byte 0x66, 0x0f, 0x50, 0x04
                .byte 0xf3, 0x0f, 0xd6, 0x84
                .byte 0xf2, 0x0f, 0xd6, 0x44
                .byte 0x66, 0x0f, 0x78, 0x04, 0x01, 0x02
                .byte 0xf2, 0x0f, 0x78, 0x84, 0x01, 0x02
                .byte 0x0f, 0x20, 0x80
                .byte 0x0f, 0x21, 0x41
                .byte 0x66, 0xf3, 0x0f, 0x10, 0x03
                .byte 0xf2, 0x66, 0x0f, 0x58, 0xc1
                .byte 0xf3, 0xf2, 0x0f, 0x10, 0xc1
                .byte 0x66, 0x0f, 0x0f, 0xc1, 0x9e
                .byte 0xf3, 0x0f, 0x0f, 0x03, 0x9e
                .byte 0xc4, 0xe1, 0x78, 0x31
                .byte 0xc5, 0xf9, 0x6f, 0xc1
                .byte 0xc4, 0xe2, 0x79, 0x00, 0x0b
                .byte 0xc4, 0xe3, 0x79, 0x0f, 0xc1, 0x03
                .byte 0xc5, 0xfc, 0x77
                .byte 0x66, 0xf2, 0x0f, 0x38, 0xf1, 0xc1
                .byte 0x0f, 0xc7, 0x4b, 0x10
                .byte 0xc5, 0xf8, 0xa2
                """);
        lines.addAll(reset());
    }
}
