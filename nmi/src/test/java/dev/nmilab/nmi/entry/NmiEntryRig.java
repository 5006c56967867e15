package dev.nmilab.nmi.entry;

import dev.nmilab.asm.AssembledImage;
import dev.nmilab.asm.Assembler;
import dev.nmilab.asm.AssemblyException;
import dev.nmilab.asm.SpecialInstruction;
import dev.nmilab.event.EventLog;
import dev.nmilab.event.IretExecuted;
import dev.nmilab.event.Note;
import dev.nmilab.gate.GateCall;
import dev.nmilab.smp.BootLayout;
import dev.nmilab.smp.Machine;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.stub.DefaultIdt;
import dev.nmilab.stub.StubSession;
import dev.nmilab.unicorn.X86Reg;
import dev.nmilab.x86.Cpu;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One CPU running an NMI entry variant behind the test kernel (test-kernel.S): a do_nmi gate that
 * counts its calls, probes that snapshot the NMI stack when the CPU is about to execute a label,
 * and NMIs injected at labels or a number of instructions after one.
 */
final class NmiEntryRig implements AutoCloseable {
    static final String TEST_KERNEL = "dev/nmilab/nmi/entry/test-kernel.S";
    static final long KERNEL_CS = 0x10;
    static final long KERNEL_DS = 0x18;
    static final long RFLAGS_DF = 1L << 10;
    static final long RFLAGS_IF = 1L << 9;
    static final long INSTRUCTION_LIMIT = 200_000;
    /** Where the i386 variant keeps nmi_state in the per-CPU area (i386-latch.S: PERCPU_NMI_STATE). */
    static final long PERCPU_NMI_STATE = 16;

    /** An iret frame as the CPU pushes it, lowest address first. */
    record Frame(long rip, long cs, long rflags, long rsp, long ss) {
    }

    /**
     * What the CPU and the NMI stack held just before an instruction; {@code instructions} is the
     * number CPU 0 had retired before it (exact for {@link #probe} sites).
     */
    record Snapshot(String label, long rip, long rsp, long rflags, long instructions, long nmiExecuting,
            Frame original, Frame iret, Frame outermost, int nmiState) {
    }

    final Machine machine;
    final AssembledImage image;
    final Cpu cpu;
    final EventLog log = new EventLog();
    /** RDI of each do_nmi call: the pt_regs pointer the entry passed on. */
    final List<Long> doNmiRegs = new ArrayList<>();
    /** RSI of each do_nmi call: the error code the entry passed on. */
    final List<Long> doNmiErrorCode = new ArrayList<>();
    private Consumer<GateCall> onDoNmi = call -> { };

    /**
     * @param prefix  #defines placed before the test kernel (NMI_HANDLER, START_RSP), or ""
     */
    NmiEntryRig(NmiEntryVariant variant, String prefix) {
        machine = new Machine(1, 64L << 20);
        try {
            machine.gates().register("do_nmi", call -> {
                doNmiRegs.add(call.arg(0));
                doNmiErrorCode.add(call.arg(1));
                onDoNmi.accept(call);
                return 0;
            });
            String source = prefix + resource(TEST_KERNEL) + variant.source();
            image = new Assembler().withExternalSymbols(machine.gates().symbols())
                    .assemble("nmi-entry-" + variant.name().toLowerCase() + ".S", source);
            machine.events().subscribe(log);
            new StubSession(machine, image);
            // The variant's own NMI stack choice (the i386 latch takes NMIs without an IST).
            machine.writeIdt(DefaultIdt.handlers(name -> image.symbols().addressOf(name)), variant.istByVector());
            cpu = machine.cpu(0);
        } catch (AssemblyException e) {
            machine.close();
            throw new IllegalStateException(e.getMessage(), e);
        } catch (RuntimeException e) {
            machine.close();
            throw e;
        }
    }

    /** The test kernel with nmi_body as the entry's handler (int3 twice, do_nmi first). */
    static NmiEntryRig withAsmBody(NmiEntryVariant variant) {
        return new NmiEntryRig(variant, "#define NMI_HANDLER nmi_body\n");
    }

    /** The test kernel with the Java gate do_nmi as the entry's handler. */
    static NmiEntryRig withJavaHandler(NmiEntryVariant variant) {
        return new NmiEntryRig(variant, "");
    }

    static String resource(String name) {
        try (InputStream in = NmiEntryRig.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void onDoNmi(Consumer<GateCall> action) {
        onDoNmi = action;
    }

    long symbol(String name) {
        return image.symbols().requireAddress(name);
    }

    /** Top of CPU 0's NMI stack: the offsets in nested-safe.S and naive.S are below it. */
    long nmiTop() {
        return BootLayout.istTop(0, BootLayout.IST_NMI);
    }

    /** The iretq that ends asm_exc_nmi (the last one in it: nmi_restore's). */
    long finalIretq() {
        long start = symbol("asm_exc_nmi");
        long end = start + image.symbols().lookup("asm_exc_nmi").orElseThrow().size();
        return image.specialInstructions(SpecialInstruction.Kind.IRETQ).stream()
                .mapToLong(SpecialInstruction::address)
                .filter(a -> Long.compareUnsigned(a, start) >= 0 && Long.compareUnsigned(a, end) < 0)
                .reduce((first, second) -> second).orElseThrow();
    }

    /** The frame the first NMI pushes: interrupted at nmi_site on {@code startRsp}. */
    Frame startFrame(long startRsp) {
        return new Frame(symbol("nmi_site"), KERNEL_CS, Machine.INITIAL_RFLAGS, startRsp, KERNEL_DS);
    }

    Frame startFrame() {
        return startFrame(BootLayout.kernelStackTop(0));
    }

    long readLong(long address) {
        return machine.kernelSpace().readLong(address);
    }

    Frame frameAt(long address) {
        return new Frame(readLong(address), readLong(address + 8), readLong(address + 16), readLong(address + 24),
                readLong(address + 32));
    }

    /** The CPU's frame of the latest NMI (top-0x28). */
    Frame originalFrame() {
        return frameAt(nmiTop() - 0x28);
    }

    /** nested-safe.S: the copied frame the final iretq pops (top-0x60). */
    Frame iretFrame() {
        return frameAt(nmiTop() - 0x60);
    }

    /** nested-safe.S: the saved frame, pt_regs->ip..ss (top-0x88). */
    Frame outermostFrame() {
        return frameAt(nmiTop() - 0x88);
    }

    /** nested-safe.S: the "NMI executing" word (top-0x38). */
    long nmiExecuting() {
        return readLong(nmiTop() - 0x38);
    }

    /** i386-latch.S: nmi_state of CPU 0. */
    int nmiState() {
        return machine.kernelSpace().readInt(BootLayout.perCpuArea(0) + PERCPU_NMI_STATE);
    }

    /** Instructions CPU 0 has retired, counting the run in progress. */
    long retired() {
        return cpu.instructions() + cpu.engine().counter().executed();
    }

    /** Snapshot every time CPU 0 is about to execute {@code label}; the list fills during the run. */
    List<Snapshot> probe(String label) {
        List<Snapshot> snapshots = new ArrayList<>();
        long address = symbol(label);
        cpu.engine().addSiteHook(address, (a, size) -> snapshots.add(snapshot(label)));
        return snapshots;
    }

    /** Snapshot before every instruction in [{@code from}, {@code to}): a narrow code hook. */
    List<Snapshot> trace(String from, String to) {
        List<Snapshot> snapshots = new ArrayList<>();
        cpu.engine().addCodeHook(symbol(from), symbol(to) - 1, (a, size) -> snapshots.add(snapshot(from)));
        return snapshots;
    }

    private Snapshot snapshot(String label) {
        return new Snapshot(label, cpu.rip(), cpu.reg(X86Reg.RSP), cpu.reg(X86Reg.RFLAGS), retired() - 1,
                nmiExecuting(), originalFrame(), iretFrame(), outermostFrame(), nmiState());
    }

    /** An NMI arrives the {@code nth} time CPU 0 is about to execute {@code label}. */
    void nmiAt(String label, int nth) {
        machine.scheduler().atAddress(0, symbol(label), nth, () -> cpu.raiseNmi("test nmi@" + label));
    }

    /**
     * An NMI arrives {@code after} instructions past the {@code nth} arrival at {@code label}: an exact
     * instruction boundary, also one a site hook cannot reach first (an emulated iretq).
     */
    void nmiAfter(String label, int nth, int after) {
        Scheduler scheduler = machine.scheduler();
        // Scheduler.runUntil takes CPU 0's trigger map once per window and, when none existed yet,
        // a detached empty one: a trigger added mid-window would then be missed. Create the map now.
        scheduler.afterInstructions(0, Long.MAX_VALUE, () -> { });
        scheduler.atAddress(0, symbol(label), nth, () -> scheduler.afterInstructions(0, retired() + after,
                () -> cpu.raiseNmi("test nmi@" + label + "+" + after + " insns")));
    }

    Scheduler.RunResult run() {
        return machine.scheduler().run(Long.MAX_VALUE, INSTRUCTION_LIMIT);
    }

    /** What _start stored after nmi_site: rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp, r8..r15, rflags. */
    long[] regsAfter() {
        long base = symbol("regs_after");
        long[] regs = new long[17];
        for (int i = 0; i < regs.length; i++) {
            regs[i] = readLong(base + 8L * i);
        }
        return regs;
    }

    /**
     * Whether _start found every register as it loaded it (test-kernel.S REG_PATTERN; RSP
     * {@code startRsp}), interrupts still enabled and DF clear.
     */
    boolean intactRegisters(long startRsp) {
        long[] after = regsAfter();
        for (int i = 0; i < 16; i++) {
            long expected = i == 7 ? startRsp : 0x5a5a000000000000L + i;
            if (after[i] != expected) {
                return false;
            }
        }
        return (after[16] & RFLAGS_IF) != 0 && (after[16] & RFLAGS_DF) == 0;
    }

    boolean intactRegisters() {
        return intactRegisters(BootLayout.kernelStackTop(0));
    }

    List<Note> notes(String kind) {
        return log.events().stream().filter(e -> e instanceof Note n && n.kind().equals(kind))
                .map(e -> (Note) e).toList();
    }

    List<IretExecuted> irets() {
        return log.events().stream().filter(e -> e instanceof IretExecuted).map(e -> (IretExecuted) e).toList();
    }

    @Override
    public void close() {
        machine.close();
    }
}
