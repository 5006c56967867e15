package dev.nmilab.x86;

import dev.nmilab.event.CpuHalted;
import dev.nmilab.event.CpuShutdown;
import dev.nmilab.event.ExceptionDelivered;
import dev.nmilab.event.IretExecuted;
import dev.nmilab.event.NmiDropped;
import dev.nmilab.event.NmiLatched;
import dev.nmilab.event.Note;
import dev.nmilab.event.PortAccess;
import dev.nmilab.memory.AddressSpace;
import dev.nmilab.memory.GuestMemoryException;
import dev.nmilab.unicorn.EmuStatus;
import dev.nmilab.unicorn.HookFailedException;
import dev.nmilab.unicorn.InstructionCounter;
import dev.nmilab.unicorn.MemoryAccess;
import dev.nmilab.unicorn.SiteHook;
import dev.nmilab.unicorn.TableRegister;
import dev.nmilab.unicorn.Unicorn;
import dev.nmilab.unicorn.X86Reg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One emulated x86-64 CPU: a Unicorn engine that executes instructions, plus the event
 * delivery Unicorn does not do (SDM vol. 3 ch. 6, 64-bit mode): IDT gates with IST, the
 * pushed frame, IF, NMI blocking until the next IRET, one latched NMI, #MC with MCIP,
 * #DF and triple fault. IRETQ is emulated at the iretq sites found in loaded code, so no
 * hook runs on every instruction.
 */
public final class Cpu implements AutoCloseable {
    public enum State { RUNNING, HALTED, SHUTDOWN }

    public static final int MSR_MCG_STATUS = 0x17a;
    public static final long MCG_STATUS_MCIP = 1L << 2;
    private static final long RFLAGS_TF = 1L << 8;
    private static final long RFLAGS_IF = 1L << 9;
    private static final long RFLAGS_NT = 1L << 14;
    private static final long RFLAGS_RF = 1L << 16;
    private static final long RFLAGS_VM = 1L << 17;
    private static final int FRAME_WORDS = 5;

    private final int index;
    private final Unicorn engine;
    private final AddressSpace view;
    private final CpuWiring wiring;
    private final NmiState nmi = new NmiState();
    private final FaultLocator faultLocator;
    private final TreeSet<Integer> pendingIrqs = new TreeSet<>();
    private final Map<Long, SiteHook> siteHooks = new TreeMap<>(Long::compareUnsigned);
    private final List<LiveFrame> liveFrames = new ArrayList<>();
    /** Frames overwritten while live, by address, with what overwrote them (the iret problem's evidence). */
    private final Map<Long, LostFrame> lostFrames = new TreeMap<>(Long::compareUnsigned);
    private final long[] deliveredByVector = new long[256];
    private State state = State.RUNNING;
    private long instructions;
    private long idleNs;
    private long busyNs;
    private long irets;
    private int depth;
    private int cs = DescriptorTables.KERNEL_CS;
    private int ss = DescriptorTables.KERNEL_DS;
    private boolean halting;
    private boolean shortRunsAllowed;
    private boolean endedShort;
    private boolean machineCheckPending;
    private String shutdownReason;
    private MemoryAccess faultAccess;
    private long faultAddress;

    /** An exception frame pushed by delivery and not yet popped by IRET. */
    private record LiveFrame(long address, long[] words, String name, long timeNs) {
    }

    /** A live frame another delivery wrote over before any IRET popped it. */
    private record LostFrame(LiveFrame original, LiveFrame by) {
    }

    private static final int MAX_LOST_FRAMES = 64;

    public Cpu(int index, CpuWiring wiring) {
        this.index = index;
        this.wiring = wiring;
        this.view = wiring.view();
        this.faultLocator = new FaultLocator(view);
        this.engine = Unicorn.openX86_64();
        try {
            view.follow((mapping, host) -> engine.memMapPtr(mapping.virtualStart(), host, mapping.perms()));
            engine.addInterruptHook(this::onInterrupt);
            engine.addInvalidInstructionHook(this::onInvalidInstruction);
            engine.addMemoryFaultHook(this::onMemoryFault);
            engine.addPortInHook(this::onPortIn);
            engine.addPortOutHook(this::onPortOut);
            for (long gate : wiring.gates().addresses()) {
                engine.addSiteHook(gate, (address, size) -> onGate(address));
            }
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    // ---- identity and state ----

    public int index() {
        return index;
    }

    public Unicorn engine() {
        return engine;
    }

    public AddressSpace view() {
        return view;
    }

    public State state() {
        return state;
    }

    public long instructions() {
        return instructions;
    }

    /**
     * Virtual time of this CPU: one nanosecond per retired instruction, plus time spent running
     * Java kernel code (busy), plus time spent halted or idle.
     */
    public long localTimeNs() {
        return instructions + busyNs + idleNs;
    }

    /** Time the CPU was not halted (what unhalted-cycle counters see). */
    public long unhaltedNs() {
        return instructions + busyNs;
    }

    public long idleNs() {
        return idleNs;
    }

    public void addIdleTime(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("negative idle time " + ns);
        }
        idleNs += ns;
    }

    /** Time spent in Java kernel code modelled on this CPU (a busy loop, a printk, a spin on a lock). */
    public void addBusyTime(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("negative busy time " + ns);
        }
        busyNs += ns;
    }

    public long reg(X86Reg reg) {
        return engine.regRead(reg);
    }

    public void setReg(X86Reg reg, long value) {
        engine.regWrite(reg, value);
    }

    public long rip() {
        return engine.regRead(X86Reg.RIP);
    }

    public dev.nmilab.event.Symbolizer wiringSymbols() {
        return wiring.symbols();
    }

    public String where() {
        return wiring.symbols().describe(rip());
    }

    public boolean nmiBlocked() {
        return nmi.blocked;
    }

    public boolean nmiLatched() {
        return nmi.latched;
    }

    public long nmisDelivered() {
        return nmi.delivered;
    }

    public long nmisLatched() {
        return nmi.latchedCount;
    }

    public long nmisDropped() {
        return nmi.dropped;
    }

    public long irets() {
        return irets;
    }

    public long delivered(int vector) {
        return deliveredByVector[vector & 0xff];
    }

    public String shutdownReason() {
        return shutdownReason;
    }

    // ---- special instruction sites ----

    /** Emulate IRETQ at {@code address} (an iretq found in loaded code). */
    public void addIretSite(long address) {
        addSite(address, (a, size) -> onIret(a));
    }

    /** Notice hlt at {@code address}, so a run that ends there is known to have halted. */
    public void addHaltSite(long address) {
        addSite(address, (a, size) -> halting = true);
    }

    /**
     * Notice an instruction that may set IF ({@code shadow} = 1 for sti, whose interrupt shadow
     * covers the next instruction; 0 for popf): with an interrupt pending, the run ends right
     * after it so the interrupt is taken at the right boundary.
     */
    public void addInterruptEnableSite(long address, int shadow) {
        addSite(address, (a, size) -> {
            if (!pendingIrqs.isEmpty()) {
                InstructionCounter counter = engine.counter();
                counter.setBudget(Math.min(counter.budget(), counter.executed() + shadow));
            }
        });
    }

    private void addSite(long address, dev.nmilab.unicorn.Hooks.CodeHook hook) {
        if (!siteHooks.containsKey(address)) {
            siteHooks.put(address, engine.addSiteHook(address, hook));
        }
    }

    // ---- running ----

    /**
     * Let {@link #run} stop up to one translation block before its budget (a scheduler window's
     * end, which need not fall on an exact instruction): much cheaper for an engine counting
     * blocks than stopping inside one. {@link #endedShort()} then says the run stopped early.
     */
    public void setShortRunsAllowed(boolean allowed) {
        shortRunsAllowed = allowed;
        endedShort = false;
    }

    /** Whether the last {@link #run} stopped short of its budget at a block boundary (see above). */
    public boolean endedShort() {
        return endedShort;
    }

    /**
     * Retire at most {@code budget} instructions (fewer when the CPU halts or shuts down).
     * Pending NMIs, machine checks and interrupts are delivered first, at this boundary.
     */
    public long run(long budget) {
        endedShort = false;
        if (state != State.RUNNING || budget <= 0) {
            return 0;
        }
        deliverPending();
        if (state != State.RUNNING) {
            return 0;
        }
        InstructionCounter counter = engine.counter();
        counter.reset();
        if (shortRunsAllowed) {
            counter.setSoftBudget(budget);
        } else {
            counter.setBudget(budget);
        }
        halting = false;
        faultAccess = null;
        EmuStatus status;
        try {
            status = engine.emuStart(rip());
        } catch (HookFailedException e) {
            instructions += counter.executed();
            throw new CpuFailure(this, e.guestRip(), e.getCause());
        }
        if (status.isMemoryFault() && faultAccess != null && !faultAccess.isFetch()) {
            locateDataFault();
            counter.uncount(); // the faulting instruction did not retire
        }
        instructions += counter.executed();
        endedShort = counter.endedShort();
        if (status.isMemoryFault()) {
            raisePageFault(status);
        } else if (status != EmuStatus.OK) {
            throw new CpuFailure(this, rip(), new IllegalStateException("engine stopped: " + status));
        }
        if (halting && state == State.RUNNING && !hasDeliverableEvent()) {
            state = State.HALTED;
            wiring.events().publish(new CpuHalted(now(), index, where(), true));
        }
        return counter.executed();
    }

    /** Request the current run to stop at the next instruction boundary (from inside a hook or gate). */
    public void requestStop() {
        if (engine.isRunning()) {
            // also end the budget: a stop request is lost when a hook at the same site rewrote RIP
            InstructionCounter counter = engine.counter();
            counter.setBudget(Math.min(counter.budget(), counter.executed()));
            engine.emuStop();
        }
    }

    // ---- event sources ----

    /** An NMI arrives (LINT1, an IPI, a PMI, an injection): latched or dropped when NMIs are blocked. */
    public void raiseNmi(String source) {
        if (state == State.SHUTDOWN) {
            return;
        }
        if (nmi.blocked || nmi.pending) {
            if (!nmi.latched) {
                nmi.latched = true;
                nmi.latchedSource = source;
                nmi.latchedCount++;
                wiring.events().publish(new NmiLatched(now(), index, where(), source));
            } else {
                nmi.dropped++;
                wiring.events().publish(new NmiDropped(now(), index, where(), source, nmi.dropped));
            }
            return;
        }
        nmi.pending = true;
        nmi.pendingSource = source;
        wake();
        requestStop();
    }

    /** A machine check is signalled to this CPU. */
    public void raiseMachineCheck() {
        if (state == State.SHUTDOWN) {
            return;
        }
        machineCheckPending = true;
        wake();
        requestStop();
    }

    /** A maskable external interrupt with {@code vector} is requested (taken while IF=1). */
    public void raiseInterrupt(int vector) {
        if (vector < Vector.FIRST_EXTERNAL || vector > 255) {
            throw new IllegalArgumentException("external interrupt vector out of range: " + vector);
        }
        pendingIrqs.add(vector);
        if ((reg(X86Reg.RFLAGS) & RFLAGS_IF) != 0) {
            wake();
            requestStop();
        }
    }

    /** Whether an event would be delivered at the next instruction boundary. */
    public boolean hasDeliverableEvent() {
        return machineCheckPending || (nmi.pending && !nmi.blocked)
                || (!pendingIrqs.isEmpty() && interruptsEnabled());
    }

    public boolean interruptsEnabled() {
        return (reg(X86Reg.RFLAGS) & RFLAGS_IF) != 0;
    }

    /** local_irq_disable / local_irq_enable on this CPU. */
    public void setInterruptsEnabled(boolean enabled) {
        long flags = reg(X86Reg.RFLAGS);
        long wanted = enabled ? flags | RFLAGS_IF : flags & ~RFLAGS_IF;
        if (wanted != flags) {
            setReg(X86Reg.RFLAGS, wanted);
        }
    }

    private void wake() {
        if (state == State.HALTED) {
            state = State.RUNNING;
            wiring.events().publish(new CpuHalted(now(), index, where(), false));
        }
    }

    private void deliverPending() {
        if (machineCheckPending) {
            machineCheckPending = false;
            deliverMachineCheck(rip());
        }
        if (state == State.RUNNING && nmi.pending && !nmi.blocked) {
            nmi.pending = false;
            deliver(Vector.NMI, null, rip(), nmi.pendingSource);
        }
        deliverPendingInterrupt();
    }

    private void deliverPendingInterrupt() {
        if (state == State.RUNNING && !pendingIrqs.isEmpty() && (reg(X86Reg.RFLAGS) & RFLAGS_IF) != 0) {
            int vector = pendingIrqs.pollLast(); // highest vector first, as the APIC's priority does
            deliver(vector, null, rip(), "external");
        }
    }

    private void deliverMachineCheck(long returnRip) {
        long status = engine.readMsr(MSR_MCG_STATUS);
        if ((status & MCG_STATUS_MCIP) != 0) {
            shutdown("machine check while MCG_STATUS.MCIP was set", List.of("#MC with MCIP set"));
            return;
        }
        engine.writeMsr(MSR_MCG_STATUS, status | MCG_STATUS_MCIP);
        deliver(Vector.MC, null, returnRip, "machine check");
    }

    // ---- delivery (SDM vol. 3, 6.14: 64-bit mode) ----

    /**
     * Deliver {@code vector} through the IDT with {@code returnRip} in the frame. A fault during
     * delivery is delivered instead, or becomes #DF by Table 6-5; a fault while delivering #DF
     * shuts the CPU down (triple fault).
     */
    void deliver(int vector, Long errorCode, long returnRip, String source) {
        List<String> chain = new ArrayList<>();
        int current = vector;
        Long code = errorCode;
        // EXT (SDM 6.13): set for faults raised while delivering anything but INT n / INT3 / INTO
        boolean softwareOrigin = "int".equals(source);
        for (int attempt = 0; attempt < 4; attempt++) {
            boolean ext = !softwareOrigin;
            try {
                pushThroughGate(current, code, returnRip, source, ext);
                return;
            } catch (DeliveryFault fault) {
                chain.add(String.format("%s delivery faulted: %s %s", Vector.name(current), Vector.name(fault.vector),
                        fault.getMessage()));
                if (fault.vector == Vector.PF) {
                    engine.regWrite(X86Reg.CR2, fault.faultAddress);
                }
                if (current == Vector.DF) {
                    shutdown("triple fault", chain);
                    return;
                }
                if (Vector.makesDoubleFault(current, fault.vector)) {
                    current = Vector.DF;
                    code = 0L;
                } else {
                    current = fault.vector;
                    code = fault.errorCode;
                }
                source = "fault";
            }
        }
        shutdown("triple fault", chain);
    }

    private void pushThroughGate(int vector, Long errorCode, long returnRip, String source, boolean external)
            throws DeliveryFault {
        int ext = external ? 1 : 0;
        long idtError = vector * 8L + 2 + ext;
        TableRegister idtr = engine.readTable(X86Reg.Table.IDTR);
        if (vector * 16L + 15 > Integer.toUnsignedLong(idtr.limit())) {
            throw DeliveryFault.generalProtection(idtError, "vector beyond the IDT limit");
        }
        long gateAddress = idtr.base() + vector * 16L;
        IdtGate gate;
        try {
            gate = IdtGate.read(view, gateAddress);
        } catch (GuestMemoryException e) {
            throw DeliveryFault.pageFault(gateAddress, false, "IDT not mapped");
        }
        if (gate.type() != IdtGate.TYPE_INTERRUPT && gate.type() != IdtGate.TYPE_TRAP) {
            throw DeliveryFault.generalProtection(idtError, "not an interrupt or trap gate");
        }
        if (!gate.present()) {
            throw new DeliveryFault(Vector.NP, idtError, 0, "gate not present");
        }
        TableRegister gdtr = engine.readTable(X86Reg.Table.GDTR);
        String badSelector = DescriptorTables.rejectCodeSelector(view, gdtr.base(), gdtr.limit(), gate.selector());
        if (badSelector != null) {
            throw DeliveryFault.generalProtection((gate.selector() & 0xfffc) | ext, "gate selector: " + badSelector);
        }
        if (!DescriptorTables.isCanonical(gate.offset())) {
            throw DeliveryFault.generalProtection(0, "handler address not canonical");
        }
        long rsp = engine.regRead(X86Reg.RSP);
        long rflags = engine.regRead(X86Reg.RFLAGS);
        long stackTop = rsp;
        if (gate.ist() != 0) {
            long tss = engine.readTable(X86Reg.Table.TR).base();
            long slot = DescriptorTables.istAddress(tss, gate.ist());
            try {
                stackTop = view.readLong(slot);
            } catch (GuestMemoryException e) {
                throw DeliveryFault.pageFault(slot, false, "TSS not mapped");
            }
        }
        stackTop &= ~0xfL;
        boolean withCode = errorCode != null; // by the event, not the vector: INT 13 pushes none
        long[] frame = {returnRip, cs, rflags, rsp, ss};
        long frameAddress = stackTop - 8L * FRAME_WORDS;
        long newRsp = withCode ? frameAddress - 8 : frameAddress;
        if (!view.isBacked(newRsp, stackTop - newRsp)) {
            long firstBad = stackTop - 8;
            while (firstBad >= newRsp && view.isBacked(firstBad, 8)) {
                firstBad -= 8;
            }
            throw DeliveryFault.pageFault(firstBad, true, "stack not mapped");
        }
        recordOverwrites(frameAddress);
        for (int i = 0; i < FRAME_WORDS; i++) {
            view.writeLong(frameAddress + 8L * i, frame[i]);
        }
        if (withCode) {
            view.writeLong(newRsp, errorCode);
        }
        long newFlags = rflags & ~(RFLAGS_TF | RFLAGS_NT | RFLAGS_RF | RFLAGS_VM);
        if (gate.isInterruptGate()) {
            newFlags &= ~RFLAGS_IF;
        }
        engine.regWrite(X86Reg.RSP, newRsp);
        engine.regWrite(X86Reg.RFLAGS, newFlags);
        engine.regWrite(X86Reg.RIP, gate.offset());
        cs = gate.selector();
        if (vector == Vector.NMI && !"int".equals(source)) {
            nmi.blocked = true;
            nmi.delivered++;
        }
        deliveredByVector[vector]++;
        depth++;
        liveFrames.add(new LiveFrame(frameAddress, frame.clone(), Vector.name(vector), now()));
        wiring.events().publish(new ExceptionDelivered(now(), index, vector, Vector.name(vector),
                wiring.symbols().describe(returnRip), wiring.symbols().describe(gate.offset()), gate.ist(),
                frameAddress, errorCode, depth));
    }

    /**
     * A delivery writing its frame over a live one (pushed, not yet popped) makes that one lost;
     * whether it matters shows when an IRET later pops a frame from that address: see {@link #onIret}.
     */
    private void recordOverwrites(long frameAddress) {
        lostFrames.remove(frameAddress);
        long end = frameAddress + 8L * FRAME_WORDS;
        for (int i = liveFrames.size() - 1; i >= 0; i--) {
            LiveFrame old = liveFrames.get(i);
            if (old.address < end && frameAddress < old.address + 8L * FRAME_WORDS) {
                liveFrames.remove(i);
                lostFrames.put(old.address, new LostFrame(old, null));
                if (lostFrames.size() > MAX_LOST_FRAMES) {
                    lostFrames.remove(lostFrames.keySet().iterator().next());
                }
            }
        }
    }

    /**
     * An IRET popping a frame at an address where a live frame was overwritten: the return goes
     * where the overwriting delivery's frame says, not where the original one did. Said in words.
     */
    private void noteLostFrame(long address, long[] popped, long iretAt) {
        LostFrame lost = lostFrames.remove(address);
        if (lost == null) {
            return;
        }
        LiveFrame old = lost.original;
        wiring.events().publish(new Note(now(), index, "frame_overwritten", String.format(
                "iretq at %s pops the %s frame at 0x%x pushed at %d ns, but a later delivery overwrote it before "
                        + "this iret: RIP %s -> %s, RSP 0x%x -> 0x%x, RFLAGS 0x%x -> 0x%x",
                wiring.symbols().describe(iretAt), old.name, old.address, old.timeNs,
                wiring.symbols().describe(old.words[0]), wiring.symbols().describe(popped[0]),
                old.words[3], popped[3], old.words[2], popped[2])));
    }

    // ---- IRETQ (SDM vol. 2, IRET: IA-32e mode, same privilege) ----

    private void onIret(long address) {
        long rsp = engine.regRead(X86Reg.RSP);
        long[] frame = new long[FRAME_WORDS];
        try {
            for (int i = 0; i < FRAME_WORDS; i++) {
                frame[i] = view.readLong(rsp + 8L * i);
            }
            int newCs = (int) (frame[1] & 0xffff);
            TableRegister gdtr = engine.readTable(X86Reg.Table.GDTR);
            String badSelector = DescriptorTables.rejectCodeSelector(view, gdtr.base(), gdtr.limit(), newCs);
            if (badSelector != null) {
                throw DeliveryFault.generalProtection(newCs & 0xfffc, "iret to CS 0x" + Integer.toHexString(newCs)
                        + ": " + badSelector);
            }
            if (!DescriptorTables.isCanonical(frame[0])) {
                throw DeliveryFault.generalProtection(0, "iret to non-canonical RIP");
            }
        } catch (GuestMemoryException e) {
            engine.counter().uncount();
            engine.regWrite(X86Reg.CR2, e.address());
            deliver(Vector.PF, 0L, address, "fault");
            return;
        } catch (DeliveryFault fault) {
            engine.counter().uncount();
            wiring.events().publish(new Note(now(), index, "iret_fault", String.format("iretq at %s: %s",
                    wiring.symbols().describe(address), fault.getMessage())));
            deliver(fault.vector, fault.errorCode, address, "fault");
            return;
        }
        engine.regWrite(X86Reg.RIP, frame[0]);
        engine.regWrite(X86Reg.RFLAGS, frame[2] | 2);
        engine.regWrite(X86Reg.RSP, frame[3]);
        cs = (int) (frame[1] & 0xffff);
        ss = (int) (frame[4] & 0xffff);
        boolean unblocked = nmi.blocked;
        nmi.blocked = false;
        irets++;
        depth = Math.max(0, depth - 1);
        if (!liveFrames.removeIf(f -> f.address == rsp)) {
            noteLostFrame(rsp, frame, address);
        }
        wiring.events().publish(new IretExecuted(now(), index, wiring.symbols().describe(address), rsp,
                wiring.symbols().describe(frame[0]), unblocked, depth));
        if (nmi.latched) {
            nmi.latched = false;
            deliver(Vector.NMI, null, frame[0], nmi.latchedSource);
        } else {
            deliverPendingInterrupt();
        }
    }

    // ---- hooks ----

    private void onInterrupt(int vector) {
        long rip = rip();
        // Unicorn reports INT3 and INT n with RIP after the instruction, processor faults at it;
        // INT n never pushes an error code and INT 2 does not engage NMI blocking (SDM 6.3.3, 6.13).
        boolean software = vector == Vector.BP || isSoftwareInterrupt(rip, vector);
        boolean trap = software || vector == Vector.OF || vector == Vector.DB;
        if (!trap) {
            engine.counter().uncount();
        }
        deliver(vector, !software && Vector.hasErrorCode(vector) ? 0L : null, rip, software ? "int" : "fault");
        stopIfShutdown();
    }

    private boolean isSoftwareInterrupt(long rip, int vector) {
        try {
            byte[] bytes = view.read(rip - 2, 2);
            return (bytes[0] & 0xff) == 0xcd && (bytes[1] & 0xff) == vector;
        } catch (GuestMemoryException e) {
            return false;
        }
    }

    private boolean onInvalidInstruction() {
        engine.counter().uncount();
        deliver(Vector.UD, null, rip(), "fault");
        stopIfShutdown();
        return true;
    }

    private boolean onMemoryFault(MemoryAccess access, long address, int size, long value) {
        faultAccess = access;
        faultAddress = address;
        return false;
    }

    /** An engine counting blocks knows only the block a data fault happened in: find the instruction. */
    private void locateDataFault() {
        long[] candidates = engine.faultCandidates();
        if (candidates.length == 1) {
            engine.faultedAt(candidates[0]);
        } else if (candidates.length > 1) {
            engine.faultedAt(faultLocator.locate(engine, candidates, faultAccess, faultAddress));
        }
    }

    private void raisePageFault(EmuStatus status) {
        long address = faultAccess == null ? 0 : faultAddress;
        boolean protection = status == EmuStatus.READ_PROT || status == EmuStatus.WRITE_PROT
                || status == EmuStatus.FETCH_PROT;
        long code = (protection ? 1 : 0) | (faultAccess != null && faultAccess.isWrite() ? 2 : 0)
                | (faultAccess != null && faultAccess.isFetch() ? 16 : 0);
        engine.regWrite(X86Reg.CR2, address);
        deliver(Vector.PF, code, rip(), "fault");
    }

    private int onPortIn(int port, int size) {
        int value = wiring.ports().in(this, port, size);
        wiring.events().publish(new PortAccess(now(), index, where(), false, port, size, value,
                wiring.ports().deviceAt(port)));
        return value;
    }

    private void onPortOut(int port, int size, int value) {
        wiring.ports().out(this, port, size, value);
        wiring.events().publish(new PortAccess(now(), index, where(), true, port, size, value,
                wiring.ports().deviceAt(port)));
    }

    private void onGate(long address) {
        if (!wiring.gates().dispatch(this, address)) {
            throw new IllegalStateException(String.format("no Java gate at %s", wiring.symbols().describe(address)));
        }
    }

    /** Emulate {@code ret} after a gate: RAX = {@code value}, pop the return address. */
    public void returnFromGate(long value) {
        long rsp = engine.regRead(X86Reg.RSP);
        long returnAddress = view.readLong(rsp);
        engine.regWrite(X86Reg.RAX, value);
        engine.regWrite(X86Reg.RSP, rsp + 8);
        engine.regWrite(X86Reg.RIP, returnAddress);
    }

    /** Halt this CPU for good from Java (as the kernel's stop loops do: cli; hlt forever). */
    public void haltForever(String why) {
        engine.regWrite(X86Reg.RFLAGS, engine.regRead(X86Reg.RFLAGS) & ~RFLAGS_IF);
        state = State.HALTED;
        wiring.events().publish(new CpuHalted(now(), index, why, true));
        requestStop();
    }

    private void shutdown(String reason, List<String> chain) {
        state = State.SHUTDOWN;
        shutdownReason = reason;
        wiring.events().publish(new CpuShutdown(now(), index, where(), reason, List.copyOf(chain)));
        requestStop();
    }

    private void stopIfShutdown() {
        if (state == State.SHUTDOWN) {
            requestStop();
        }
    }

    /** This CPU's virtual time, counting the instructions of the run in progress. */
    public long now() {
        return localTimeNs() + (engine.isRunning() ? engine.counter().executed() : 0);
    }

    @Override
    public void close() {
        faultLocator.close();
        engine.close();
    }
}
