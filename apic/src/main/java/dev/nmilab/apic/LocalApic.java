package dev.nmilab.apic;

import static dev.nmilab.apic.ApicDef.*;

import dev.nmilab.event.Note;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.x86.Cpu;
import dev.nmilab.x86.Vector;

/**
 * The local APIC of one CPU in xAPIC mode (Intel SDM vol. 3, ch. 11), reached by that CPU's
 * instructions at {@link ApicDef#APIC_DEFAULT_PHYS_BASE} and by Java kernel code through
 * {@link #read}/{@link #write}. Laid out as QEMU's hw/intc/apic.c is: state, register
 * handlers, interrupt acceptance and delivery, timer callbacks, reset.
 *
 * <h2>Fixed interrupts: IRR, ISR, PPR, EOI</h2>
 * <pre>
 *   accept(v) ──► IRR ──(highest IRR class &gt; PPR class)──► ISR ──► cpu.raiseInterrupt(v)
 *                                                          ▲
 *   EOI: clear the highest ISR bit, then look at IRR again ┘
 *
 *   PPR = TPR            when TPR[7:4] &gt;= ISRV[7:4]   (ISRV: highest vector in service)
 *       = ISRV &amp; 0xf0    otherwise                     (SDM 11.8.3.1)
 * </pre>
 * The {@link Cpu} has no acknowledge callback (real hardware moves IRR to ISR on the INTA
 * cycle, when the processor takes the interrupt), so the move happens here, at the moment the
 * vector is handed to the CPU. The CPU holds handed vectors until IF=1 and takes the highest
 * first, which is the order ISR expects: EOI then retires the right bit. What this model
 * cannot do: a vector of the same class that arrives after a lower one was handed over but
 * before the CPU took it (IF=0) waits for that one's EOI instead of overtaking it.
 *
 * <h2>Software disable (SDM 11.4.7.2)</h2>
 * After reset SVR bit 8 is clear: every LVT entry reads masked and cannot be unmasked, fixed
 * interrupts are not accepted (counted in {@link #fixedRejected()}), and nothing pending is
 * delivered; NMI, INIT and STARTUP messages still arrive.
 *
 * <h2>Timer</h2>
 * The APIC bus clock is {@link #BUS_CLOCK_HZ} (1 GHz: one tick per virtual nanosecond before
 * the divider, the same time base as one instruction), divided by the divide configuration.
 * Expiries are scheduled with {@link Scheduler#at} at their exact virtual time. A count
 * programmed from Java between windows expires exactly on time; one programmed by an
 * instruction in the middle of a window whose end lies beyond the expiry fires at that window
 * end (at most one scheduler quantum late), though the expiry is still accounted at its exact
 * time and periodic reloads keep the exact period. TSC-deadline mode (LVT timer mode 10b) is
 * not modelled: the timer stays disarmed in it, as initial-count writes are ignored there.
 *
 * <h2>Not modelled</h2>
 * INIT and STARTUP are counted and reported as a note, but the target CPU keeps running (no
 * wait-for-SIPI state). SMI and ExtINT deliveries (no SMM, no 8259) are reported as a note
 * and dropped. There is no CMCI entry (0x2f0), no x2APIC, no IA32_APIC_BASE relocation and no
 * EOI broadcast to an I/O APIC for level-triggered vectors.
 */
public final class LocalApic {
    /** xAPIC version 0x14 with six LVT entries (max LVT index 5: timer, thermal, PC, LINT0, LINT1, error). */
    public static final int VERSION = 0x0005_0014;
    public static final long BUS_CLOCK_HZ = 1_000_000_000L;

    /** LVT entries by (offset - APIC_LVTT) / 0x10. */
    static final int LVT_TIMER = 0;
    static final int LVT_THERMAL = 1;
    static final int LVT_PC = 2;
    static final int LVT_LINT0 = 3;
    static final int LVT_LINT1 = 4;
    static final int LVT_ERROR = 5;
    private static final int LVT_COUNT = 6;
    /** Writable bits of each LVT entry (SDM figure 11-8); delivery status and remote IRR read 0. */
    private static final int[] LVT_WRITABLE = {
        APIC_VECTOR_MASK | APIC_LVT_MASKED | APIC_LVT_TIMER_MODE_MASK,
        APIC_VECTOR_MASK | APIC_MODE_MASK | APIC_LVT_MASKED,
        APIC_VECTOR_MASK | APIC_MODE_MASK | APIC_LVT_MASKED,
        APIC_VECTOR_MASK | APIC_MODE_MASK | APIC_INPUT_POLARITY | APIC_LVT_LEVEL_TRIGGER | APIC_LVT_MASKED,
        APIC_VECTOR_MASK | APIC_MODE_MASK | APIC_INPUT_POLARITY | APIC_LVT_LEVEL_TRIGGER | APIC_LVT_MASKED,
        APIC_VECTOR_MASK | APIC_LVT_MASKED,
    };
    private static final int ICR_WRITABLE = APIC_VECTOR_MASK | APIC_MODE_MASK | APIC_DEST_LOGICAL | APIC_INT_ASSERT
            | APIC_INT_LEVELTRIG | APIC_SHORTHAND_MASK;
    private static final int SVR_WRITABLE = APIC_VECTOR_MASK | APIC_SPIV_APIC_ENABLED | APIC_SPIV_FOCUS_DISABLED;
    private static final int TDCR_WRITABLE = 0xb;

    // ---- state ----

    private final ApicBus bus;
    private final Cpu cpu;
    private final Scheduler scheduler;
    private PerfCounter perfCounter;

    private int id;
    private int tpr;
    private int ldr;
    private int dfr;
    private int svr;
    private int icrLow;
    private int icrHigh;
    /** ESR as software reads it: the errors latched by the last write to ESR. */
    private int esr;
    /** Errors detected since the last write to ESR. */
    private int esrPending;
    private final int[] lvt = new int[LVT_COUNT];
    private final VectorBitmap irr = new VectorBitmap();
    private final VectorBitmap isr = new VectorBitmap();
    private final VectorBitmap tmr = new VectorBitmap();

    private int initialCount;
    private int divideConfig;
    private boolean timerArmed;
    /** Counting restarted at this time from {@link #timerAnchorCount}. */
    private long timerAnchorNs;
    private long timerAnchorCount;
    private long timerGeneration;
    private long nextTimerExpiryNs = -1;
    private long lastTimerExpiryNs = -1;

    private final long[] droppedMasked = new long[LVT_COUNT];
    private long interruptsDelivered;
    private long fixedRejected;
    private long eois;
    private long lint0Asserts;
    private long lint1Asserts;
    private long timerExpiries;
    private long ipisSent;
    private long ipisReceived;
    private long initsReceived;
    private long startupsReceived;
    private boolean reservedVectorNoted;

    LocalApic(ApicBus bus, Cpu cpu, Scheduler scheduler) {
        this.bus = bus;
        this.cpu = cpu;
        this.scheduler = scheduler;
        reset();
    }

    void attachPerfCounter(PerfCounter counter) {
        this.perfCounter = counter;
    }

    public Cpu cpu() {
        return cpu;
    }

    public int index() {
        return cpu.index();
    }

    /** The performance counter whose overflow this APIC delivers through LVT PC. */
    public PerfCounter perfCounter() {
        return perfCounter;
    }

    /** The physical APIC ID (ID register bits 24-31); the CPU index after reset. */
    public int id() {
        return id;
    }

    /** SVR bit 8: the APIC is software-enabled. */
    public boolean enabled() {
        return (svr & APIC_SPIV_APIC_ENABLED) != 0;
    }

    // ---- register handlers (SDM table 11-1) ----

    /** Read the 32-bit register at {@code offset} (16-byte aligned, below 0x1000). */
    public int read(int offset) {
        checkOffset(offset);
        return switch (offset) {
            case APIC_ID -> id << 24;
            case APIC_LVR -> VERSION;
            case APIC_TASKPRI -> tpr;
            case APIC_ARBPRI, APIC_RRR, APIC_EOI -> 0; // arbitration and remote read not modelled; EOI is write-only
            case APIC_PROCPRI -> ppr();
            case APIC_LDR -> ldr;
            case APIC_DFR -> dfr;
            case APIC_SPIV -> svr;
            case APIC_ESR -> esr;
            case APIC_ICR -> icrLow; // delivery status (bit 12) always idle: delivery is immediate
            case APIC_ICR2 -> icrHigh;
            case APIC_LVTT, APIC_LVTTHMR, APIC_LVTPC, APIC_LVT0, APIC_LVT1, APIC_LVTERR -> lvt[lvtIndex(offset)];
            case APIC_TMICT -> initialCount;
            case APIC_TMCCT -> (int) currentCount();
            case APIC_TDCR -> divideConfig;
            default -> readVectorRegister(offset);
        };
    }

    private int readVectorRegister(int offset) {
        if (offset >= APIC_ISR && offset < APIC_ISR + 0x80) {
            return isr.word((offset - APIC_ISR) >> 4);
        }
        if (offset >= APIC_TMR && offset < APIC_TMR + 0x80) {
            return tmr.word((offset - APIC_TMR) >> 4);
        }
        if (offset >= APIC_IRR && offset < APIC_IRR + 0x80) {
            return irr.word((offset - APIC_IRR) >> 4);
        }
        logError(APIC_ESR_ILLREGA);
        return 0;
    }

    /** Write the 32-bit register at {@code offset}, with the side effects the hardware has (EOI, ICR send, timer start). */
    public void write(int offset, int value) {
        checkOffset(offset);
        switch (offset) {
            case APIC_ID -> id = value >>> 24;
            case APIC_TASKPRI -> {
                tpr = value & APIC_TPRI_MASK;
                evaluate();
            }
            case APIC_EOI -> eoi();
            case APIC_LDR -> ldr = value & APIC_LDR_MASK;
            case APIC_DFR -> dfr = value | 0x0fff_ffff;
            case APIC_SPIV -> writeSvr(value);
            case APIC_ESR -> {
                esr = esrPending;
                esrPending = 0;
            }
            case APIC_ICR -> {
                icrLow = value & ICR_WRITABLE;
                ipisSent++;
                bus.route(this, icrLow, icrHigh);
            }
            case APIC_ICR2 -> icrHigh = value & (0xff << APIC_DEST_SHIFT);
            case APIC_LVTT, APIC_LVTTHMR, APIC_LVTPC, APIC_LVT0, APIC_LVT1, APIC_LVTERR ->
                    writeLvt(lvtIndex(offset), value);
            case APIC_TMICT -> writeInitialCount(value);
            case APIC_TDCR -> writeDivideConfig(value);
            case APIC_LVR, APIC_ARBPRI, APIC_PROCPRI, APIC_RRR, APIC_TMCCT -> {
                // read-only: the write is ignored
            }
            default -> {
                if (offset < APIC_ISR || offset >= APIC_IRR + 0x80) {
                    logError(APIC_ESR_ILLREGA);
                }
            }
        }
    }

    private static void checkOffset(int offset) {
        if (offset < 0 || offset >= APIC_MMIO_SIZE || (offset & 0xf) != 0) {
            throw new IllegalArgumentException(String.format(
                    "APIC register offset 0x%x: must be 16-byte aligned and below 0x1000", offset));
        }
    }

    private static int lvtIndex(int offset) {
        return (offset - APIC_LVTT) >> 4;
    }

    private void writeSvr(int value) {
        boolean wasEnabled = enabled();
        svr = value & SVR_WRITABLE;
        if (!enabled()) {
            for (int i = 0; i < LVT_COUNT; i++) {
                lvt[i] |= APIC_LVT_MASKED;
            }
        } else if (!wasEnabled) {
            evaluate();
        }
    }

    private void writeLvt(int index, int value) {
        int entry = value & LVT_WRITABLE[index];
        if (!enabled()) {
            entry |= APIC_LVT_MASKED; // SDM 11.4.7.2: the mask bits cannot be cleared while software-disabled
        }
        lvt[index] = entry;
        if (index == LVT_TIMER && timerMode() == APIC_LVT_TIMER_TSCDEADLINE) {
            stopTimer();
        }
    }

    /** The value of the LVT entry at {@code offset} (APIC_LVTT .. APIC_LVTERR). */
    public int lvt(int offset) {
        if (offset < APIC_LVTT || offset > APIC_LVTERR || (offset & 0xf) != 0) {
            throw new IllegalArgumentException(String.format("0x%x is not an LVT register", offset));
        }
        return lvt[lvtIndex(offset)];
    }

    /**
     * Reads and writes of the MMIO page by this CPU's instructions. Registers sit at the start
     * of each 16-byte slot; narrower reads see the addressed bytes, the other twelve bytes of a
     * slot read as zero and ignore writes. A store narrower than 32 bits (model specific on
     * real parts, SDM 11.4.1) is merged into the register and written whole.
     */
    long mmioRead(long offset, int size) {
        int register = (int) offset & ~0xf;
        int within = (int) offset & 0xf;
        if (within >= 4) {
            return 0;
        }
        long value = Integer.toUnsignedLong(read(register)) >>> (8 * within);
        return size >= 8 ? value : value & ((1L << (8 * size)) - 1);
    }

    void mmioWrite(long offset, int size, long value) {
        int register = (int) offset & ~0xf;
        int within = (int) offset & 0xf;
        if (within >= 4) {
            return;
        }
        if (within == 0 && size >= 4) {
            write(register, (int) value);
            return;
        }
        int bits = Math.min(8 * size, 32 - 8 * within);
        int mask = (int) (((1L << bits) - 1) << (8 * within));
        int merged = (peek(register) & ~mask) | ((int) (value << (8 * within)) & mask);
        write(register, merged);
    }

    /** A register's value without the side effects of an illegal-address read. */
    private int peek(int offset) {
        boolean known = offset < 0x400 && (offset >= APIC_ISR && offset < APIC_IRR + 0x80
                || java.util.Arrays.binarySearch(KNOWN_REGISTERS, offset) >= 0);
        return known ? read(offset) : 0;
    }

    private static final int[] KNOWN_REGISTERS = {APIC_ID, APIC_LVR, APIC_TASKPRI, APIC_ARBPRI, APIC_PROCPRI, APIC_EOI,
        APIC_RRR, APIC_LDR, APIC_DFR, APIC_SPIV, APIC_ESR, APIC_ICR, APIC_ICR2, APIC_LVTT, APIC_LVTTHMR, APIC_LVTPC,
        APIC_LVT0, APIC_LVT1, APIC_LVTERR, APIC_TMICT, APIC_TMCCT, APIC_TDCR};

    // ---- convenience for Java kernel code ----

    /** apic_eoi() / ack_APIC_irq(): retire the highest vector in service. */
    public void eoi() {
        int vector = isr.highest();
        if (vector < 0) {
            return;
        }
        isr.clear(vector);
        eois++;
        evaluate();
    }

    /** Processor priority (SDM 11.8.3.1). */
    public int ppr() {
        int isrv = Math.max(isr.highest(), 0);
        return (tpr >> 4) >= (isrv >> 4) ? tpr : isrv & 0xf0;
    }

    public int taskPriority() {
        return tpr;
    }

    /** Vector {@code vector} is requested (IRR). */
    public boolean requested(int vector) {
        return irr.test(checkVector(vector));
    }

    /** Vector {@code vector} is in service (ISR). */
    public boolean inService(int vector) {
        return isr.test(checkVector(vector));
    }

    /** The highest vector in service, or -1. */
    public int highestInService() {
        return isr.highest();
    }

    /**
     * Clear LVT PC's mask bit, as Linux's PMI handler does with
     * {@code apic_write(APIC_LVTPC, APIC_DM_NMI)} (arch/x86/events/intel/core.c,
     * intel_pmu_handle_irq) after the hardware masked it on delivery.
     */
    public void unmaskPc() {
        write(APIC_LVTPC, lvt[LVT_PC] & ~APIC_LVT_MASKED);
    }

    /** {@link #linuxBootSetup(ExtNmi)} with the default {@code apic_extnmi=bsp}. */
    public void linuxBootSetup() {
        linuxBootSetup(ExtNmi.BSP);
    }

    /**
     * Leave the registers as Linux 6.1 leaves them once this CPU is up, in the order it writes
     * them (arch/x86/kernel/apic/apic.c: setup_local_APIC, end_local_APIC_setup and
     * lapic_setup_esr; lapic_timer_set_oneshot through __setup_APIC_LVTT):
     * <pre>
     *   TPR    0x10        accept all but vectors 0-31
     *   SVR    0x1ff       enabled, spurious vector 0xff, focus checking on
     *   LVTPC  0x00400     NMI (perf_events_lapic_init, arch/x86/events/core.c)
     *   LVT0   0x10700     ExtINT, masked (the 8259 is not routed through LINT0)
     *   LVT1   0x00400     NMI on the BSP; 0x10400 (masked) on the others, per apic_extnmi=
     *   LVTERR 0x000fe     ERROR_APIC_VECTOR
     *   LVTT   0x000ec     LOCAL_TIMER_VECTOR, one-shot, unmasked (clockevents in oneshot mode)
     *   TDCR   0x3         divide by 16 (APIC_DIVISOR)
     * </pre>
     * Stale ISR bits are retired first, as apic_pending_intr_clear does. LDR/DFR (logical
     * destinations) and LVT thermal (therm_throt's THERMAL_APIC_VECTOR) are left as they are;
     * a CPU with TSC deadline would use LVTT mode 10b, which is not modelled.
     */
    public void linuxBootSetup(ExtNmi extNmi) {
        write(APIC_SPIV, read(APIC_SPIV) & ~APIC_SPIV_APIC_ENABLED);
        write(APIC_TASKPRI, (read(APIC_TASKPRI) & ~APIC_TPRI_MASK) | 0x10);
        while (!isr.isEmpty()) {
            eoi();
        }
        int spiv = read(APIC_SPIV) & ~APIC_VECTOR_MASK;
        write(APIC_SPIV, spiv | APIC_SPIV_APIC_ENABLED | SPURIOUS_APIC_VECTOR);
        write(APIC_LVTPC, APIC_DM_NMI);
        write(APIC_LVT0, APIC_DM_EXTINT | APIC_LVT_MASKED);
        boolean bsp = index() == 0;
        boolean lint1Open = bsp && extNmi != ExtNmi.NONE || extNmi == ExtNmi.ALL;
        write(APIC_LVT1, lint1Open ? APIC_DM_NMI : APIC_DM_NMI | APIC_LVT_MASKED);
        write(APIC_ESR, 0);
        write(APIC_LVTERR, ERROR_APIC_VECTOR);
        write(APIC_ESR, 0);
        write(APIC_LVTT, LOCAL_TIMER_VECTOR);
        write(APIC_TDCR, (read(APIC_TDCR) & ~(APIC_TDR_DIV_1 | APIC_TDR_DIV_TMBASE)) | APIC_TDR_DIV_16);
    }

    // ---- interrupt acceptance and delivery ----

    /** A fixed interrupt with {@code vector} arrives (an IPI, or a local source in Fixed mode): IRR. */
    public void accept(int vector) {
        accept(vector, false);
    }

    void accept(int vector, boolean levelTriggered) {
        checkVector(vector);
        if (vector < 16) {
            logError(APIC_ESR_RECVILL); // vectors 0-15 are illegal (SDM 11.5.2)
            return;
        }
        if (!enabled()) {
            fixedRejected++;
            return;
        }
        irr.set(vector);
        if (levelTriggered) {
            tmr.set(vector);
        } else {
            tmr.clear(vector);
        }
        evaluate();
    }

    private static int checkVector(int vector) {
        if (vector < 0 || vector > 255) {
            throw new IllegalArgumentException("vector out of range: " + vector);
        }
        return vector;
    }

    /** Hand the highest requested vector to the CPU if its class beats PPR; IRR to ISR then. */
    private void evaluate() {
        if (!enabled()) {
            return;
        }
        int vector = irr.highest();
        if (vector < 0 || (vector >> 4) <= (ppr() >> 4)) {
            return;
        }
        if (vector < Vector.FIRST_EXTERNAL) {
            // 16-31 are legal to the APIC, but the Cpu takes external vectors from 32 only.
            if (!reservedVectorNoted) {
                reservedVectorNoted = true;
                note("apic_reserved_vector", String.format(
                        "vector 0x%02x requested with TPR 0x%02x: vectors 16-31 stay pending in IRR", vector, tpr));
            }
            return;
        }
        irr.clear(vector);
        isr.set(vector);
        interruptsDelivered++;
        cpu.raiseInterrupt(vector);
    }

    /** An interprocessor message for this APIC (see {@link ApicBus}). */
    void receiveIpi(DeliveryMode mode, int vector, boolean levelTriggered, int fromCpu) {
        ipisReceived++;
        switch (mode) {
            case FIXED, LOWEST_PRIORITY -> accept(vector, levelTriggered);
            case NMI -> cpu.raiseNmi("IPI from cpu " + fromCpu);
            case INIT -> {
                initsReceived++;
                note("apic_init", "INIT IPI from cpu " + fromCpu + " received; INIT is not modelled, the CPU runs on");
            }
            case STARTUP -> {
                startupsReceived++;
                note("apic_startup", String.format("STARTUP IPI (vector 0x%02x) from cpu %d received; not modelled",
                        vector, fromCpu));
            }
            case SMI -> note("apic_smi", "SMI IPI from cpu " + fromCpu + " dropped: SMM is not modelled");
            case REMOTE_READ, EXTINT -> note("apic_unmodelled_delivery", String.format(
                    "IPI in %s mode from cpu %d ignored: reserved for the ICR", mode, fromCpu));
        }
    }

    /**
     * Deliver through LVT entry {@code index} as the SDM says for local interrupt sources
     * (11.5.1): nothing when masked; the timer and error entries always deliver Fixed.
     * Returns whether anything reached the CPU or IRR.
     */
    private boolean deliverLocal(int index, String source) {
        int entry = lvt[index];
        if (masked(entry)) {
            droppedMasked[index]++;
            return false;
        }
        DeliveryMode mode = index == LVT_TIMER || index == LVT_ERROR ? DeliveryMode.FIXED : DeliveryMode.of(entry);
        switch (mode) {
            case FIXED -> {
                boolean level = (index == LVT_LINT0 || index == LVT_LINT1) && (entry & APIC_LVT_LEVEL_TRIGGER) != 0;
                accept(vector(entry), level);
                return true;
            }
            case NMI -> {
                cpu.raiseNmi(source);
                return true;
            }
            case INIT -> {
                initsReceived++;
                note("apic_init", source + " delivered INIT; INIT is not modelled, the CPU runs on");
                return true;
            }
            default -> {
                note("apic_unmodelled_delivery", String.format("%s in %s mode (LVT 0x%08x) dropped: not modelled",
                        source, mode, entry));
                return false;
            }
        }
    }

    /** Assert LINT0 (the 8259's INTR in virtual-wire mode; a platform line otherwise). */
    public void assertLint0() {
        lint0Asserts++;
        assertLint(LVT_LINT0, "LINT0");
    }

    /** Assert LINT1, the platform NMI line (a BMC's NMI button or watchdog arrives here). */
    public void assertLint1() {
        lint1Asserts++;
        assertLint(LVT_LINT1, "LINT1");
    }

    private void assertLint(int index, String name) {
        if (!deliverLocal(index, name) && masked(lvt[index])) {
            note(name.toLowerCase(java.util.Locale.ROOT) + "_masked", String.format(
                    "%s asserted while LVT %s is masked (0x%08x): dropped (%d so far)", name, name, lvt[index],
                    droppedMasked[index]));
        }
    }

    /**
     * A performance counter overflowed: deliver the PMI through LVT PC. Handling it sets the
     * entry's mask bit (SDM vol. 3, 11.5.1, "Mask"); only software clears it again, as Linux's
     * PMI handler does ({@link #unmaskPc()}).
     */
    boolean deliverPmi() {
        boolean delivered = deliverLocal(LVT_PC, "PMI");
        if (delivered) {
            lvt[LVT_PC] |= APIC_LVT_MASKED;
        } else if (masked(lvt[LVT_PC])) {
            note("pmi_masked", String.format("counter overflow while LVT PC is masked (0x%08x): no PMI",
                    lvt[LVT_PC]));
        }
        return delivered;
    }

    /** Record an error in ESR (visible after the next ESR write) and raise the LVT error interrupt. */
    private void logError(int bits) {
        esrPending |= bits;
        int entry = lvt[LVT_ERROR];
        if (vector(entry) < 16 && !masked(entry)) {
            esrPending |= APIC_ESR_RECVILL; // no interrupt for an illegal error vector (nor a loop)
            return;
        }
        deliverLocal(LVT_ERROR, "APIC error");
    }

    /** The sending side of an ICR whose vector is illegal for the mode. */
    void logSendIllegal() {
        logError(APIC_ESR_SENDILL);
    }

    private void note(String kind, String text) {
        bus.events().publish(new Note(cpu.now(), cpu.index(), kind, text));
    }

    /** Logical destination match for the flat and cluster models (SDM 11.6.2.2). */
    boolean matchesLogical(int destination) {
        int logicalId = ldr >>> 24;
        if ((dfr >>> 28) == 0xf) {
            return (logicalId & destination) != 0;
        }
        return (logicalId & 0xf0) == (destination & 0xf0) && (logicalId & destination & 0x0f) != 0;
    }

    // ---- timer callbacks (SDM 11.5.4) ----

    /** Divide value of a divide configuration: bits 3,1,0 = 000 → 2 ... 110 → 128, 111 → 1. */
    public static int divisor(int divideConfig) {
        int code = (divideConfig & 3) | ((divideConfig >> 1) & 4);
        return code == 7 ? 1 : 2 << code;
    }

    private int timerMode() {
        return lvt[LVT_TIMER] & APIC_LVT_TIMER_MODE_MASK;
    }

    private long now() {
        return Math.max(cpu.now(), scheduler.now());
    }

    private void writeInitialCount(int value) {
        if (timerMode() == APIC_LVT_TIMER_TSCDEADLINE) {
            return;
        }
        initialCount = value;
        stopTimer();
        if (value != 0) {
            armTimer(now(), Integer.toUnsignedLong(value));
        }
    }

    private void writeDivideConfig(int value) {
        int newConfig = value & TDCR_WRITABLE;
        if (timerArmed) {
            long now = now();
            long oldDivisor = divisor(divideConfig);
            long ticks = (now - timerAnchorNs) / oldDivisor;
            if (ticks < timerAnchorCount) {
                // Count on from the last whole tick with the new divisor.
                long anchor = timerAnchorNs + ticks * oldDivisor;
                long remaining = timerAnchorCount - ticks;
                divideConfig = newConfig;
                stopTimer();
                armTimer(anchor, remaining);
                return;
            }
        }
        divideConfig = newConfig;
    }

    private void armTimer(long anchorNs, long count) {
        timerArmed = true;
        timerAnchorNs = anchorNs;
        timerAnchorCount = count;
        nextTimerExpiryNs = anchorNs + count * divisor(divideConfig);
        long generation = ++timerGeneration;
        long expiry = nextTimerExpiryNs;
        scheduler.at(Math.max(expiry, scheduler.now()), () -> timerExpired(generation, expiry));
    }

    private void stopTimer() {
        timerArmed = false;
        timerGeneration++;
        nextTimerExpiryNs = -1;
    }

    private void timerExpired(long generation, long expiryNs) {
        if (generation != timerGeneration) {
            return; // reprogrammed or stopped since
        }
        timerExpiries++;
        lastTimerExpiryNs = expiryNs;
        timerArmed = false;
        nextTimerExpiryNs = -1;
        if (timerMode() == APIC_LVT_TIMER_PERIODIC && initialCount != 0) {
            armTimer(expiryNs, Integer.toUnsignedLong(initialCount));
        }
        deliverLocal(LVT_TIMER, "timer");
    }

    /** The current-count register: counts down from the initial count; 0 when stopped or expired one-shot. */
    public long currentCount() {
        if (!timerArmed) {
            return 0;
        }
        long ticks = Math.max(0, now() - timerAnchorNs) / divisor(divideConfig);
        if (ticks < timerAnchorCount) {
            return timerAnchorCount - ticks;
        }
        if (timerMode() != APIC_LVT_TIMER_PERIODIC) {
            return 0;
        }
        long period = Integer.toUnsignedLong(initialCount);
        return period - (ticks - timerAnchorCount) % period;
    }

    /** Virtual time of the next timer expiry, or -1 when the timer is not armed. */
    public long nextTimerExpiryNs() {
        return nextTimerExpiryNs;
    }

    /** Virtual time of the last expiry, or -1 before the first. */
    public long lastTimerExpiryNs() {
        return lastTimerExpiryNs;
    }

    // ---- counters ----

    /** Fixed vectors handed to the CPU (moved from IRR to ISR). */
    public long interruptsDelivered() {
        return interruptsDelivered;
    }

    /** Fixed interrupts not accepted because the APIC was software-disabled. */
    public long fixedRejected() {
        return fixedRejected;
    }

    /** Local interrupts dropped because LVT entry {@code offset} was masked. */
    public long droppedMasked(int offset) {
        lvt(offset);
        return droppedMasked[lvtIndex(offset)];
    }

    public long lint0Asserts() {
        return lint0Asserts;
    }

    public long lint1Asserts() {
        return lint1Asserts;
    }

    /** LINT1 assertions dropped by the mask bit: platform NMIs this CPU never saw. */
    public long lint1Dropped() {
        return droppedMasked[LVT_LINT1];
    }

    public long eois() {
        return eois;
    }

    public long timerExpiries() {
        return timerExpiries;
    }

    /** ICR writes (each one sends). */
    public long ipisSent() {
        return ipisSent;
    }

    /** Interprocessor messages received, in any delivery mode. */
    public long ipisReceived() {
        return ipisReceived;
    }

    public long initsReceived() {
        return initsReceived;
    }

    public long startupsReceived() {
        return startupsReceived;
    }

    // ---- reset (SDM 11.4.7.1: state after power-up or reset) ----

    /**
     * Power-up state: ID = CPU index, DFR all ones, SVR 0xff (software-disabled), every LVT
     * entry masked, everything else zero; the timer stops. Counters are kept.
     */
    public void reset() {
        id = cpu.index();
        tpr = 0;
        ldr = 0;
        dfr = APIC_DFR_FLAT;
        svr = 0xff;
        icrLow = 0;
        icrHigh = 0;
        esr = 0;
        esrPending = 0;
        java.util.Arrays.fill(lvt, APIC_LVT_MASKED);
        irr.clearAll();
        isr.clearAll();
        tmr.clearAll();
        initialCount = 0;
        divideConfig = 0;
        stopTimer();
    }

    @Override
    public String toString() {
        return String.format("LocalApic[cpu %d, id %d, %s, TPR 0x%02x, PPR 0x%02x]", index(), id,
                enabled() ? "enabled" : "software-disabled", tpr, ppr());
    }
}
