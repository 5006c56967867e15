package dev.nmilab.apic;

import static dev.nmilab.apic.ApicDef.*;

import dev.nmilab.event.EventBus;
import dev.nmilab.smp.Machine;
import dev.nmilab.x86.Cpu;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;

/**
 * The APIC bus of one machine: one {@link LocalApic} and one {@link PerfCounter} per CPU,
 * and the routing of interprocessor interrupts between them. Every CPU's engine maps its own
 * APIC at {@link ApicDef#APIC_DEFAULT_PHYS_BASE}, so the same address reaches a different
 * APIC on each CPU, as on hardware.
 *
 * <p>Routing (SDM vol. 3, 11.6): shorthands none/self/all-including-self/all-excluding-self;
 * physical destinations match the APIC ID (0xff: broadcast); logical ones match LDR under the
 * flat or cluster model of DFR. Lowest-priority delivery picks the target with the lowest PPR,
 * the lowest CPU index among equals (no focus processor, no rotating arbitration IDs).
 * Delivery is immediate: the ICR's delivery status always reads idle. Targets are visited in
 * CPU index order.
 *
 * <p>The kernel-facing senders follow Linux 6.1 (arch/x86/kernel/apic/ipi.c and local.h,
 * __prepare_ICR): the vector {@link ApicDef#NMI_VECTOR} is sent in NMI delivery mode, any
 * other vector in Fixed mode.
 */
public final class ApicBus {
    private final Machine machine;
    private final List<LocalApic> apics = new ArrayList<>();
    private final List<PerfCounter> counters = new ArrayList<>();

    private ApicBus(Machine machine) {
        this.machine = machine;
    }

    // ---- registration ----

    /**
     * Create one local APIC and one performance counter per CPU of {@code machine} and map
     * each APIC's MMIO page on its CPU's engine. Call after {@link Machine#createCpus()}, once.
     */
    public static ApicBus attach(Machine machine) {
        for (Cpu cpu : machine.cpus()) {
            if (cpu == null) {
                throw new IllegalStateException("ApicBus.attach: the machine has no CPUs yet (call createCpus() first)");
            }
        }
        ApicBus bus = new ApicBus(machine);
        for (Cpu cpu : machine.cpus()) {
            LocalApic apic = new LocalApic(bus, cpu, machine.scheduler());
            PerfCounter counter = new PerfCounter(apic, machine.scheduler());
            apic.attachPerfCounter(counter);
            cpu.engine().mmioMap(APIC_DEFAULT_PHYS_BASE, APIC_MMIO_SIZE, apic::mmioRead, apic::mmioWrite);
            bus.apics.add(apic);
            bus.counters.add(counter);
        }
        return bus;
    }

    public LocalApic apic(int cpu) {
        checkCpu(cpu);
        return apics.get(cpu);
    }

    public List<LocalApic> apics() {
        return Collections.unmodifiableList(apics);
    }

    public PerfCounter perfCounter(int cpu) {
        checkCpu(cpu);
        return counters.get(cpu);
    }

    public int size() {
        return apics.size();
    }

    EventBus events() {
        return machine.events();
    }

    private void checkCpu(int cpu) {
        if (cpu < 0 || cpu >= apics.size()) {
            throw new IllegalArgumentException("CPU " + cpu + " does not exist (" + apics.size() + " CPUs)");
        }
    }

    // ---- routing ----

    /** Send what {@code source}'s ICR now holds (called on every write of ICR low). */
    void route(LocalApic source, int icrLow, int icrHigh) {
        DeliveryMode mode = DeliveryMode.of(icrLow);
        int vector = vector(icrLow);
        boolean level = (icrLow & APIC_INT_LEVELTRIG) != 0;
        if (mode == DeliveryMode.INIT && level && (icrLow & APIC_INT_ASSERT) == 0) {
            return; // INIT level de-assert only resynchronises arbitration IDs
        }
        if ((mode == DeliveryMode.FIXED || mode == DeliveryMode.LOWEST_PRIORITY) && vector < 16) {
            source.logSendIllegal();
            return;
        }
        List<LocalApic> targets = targets(source, Shorthand.of(icrLow), (icrLow & APIC_DEST_LOGICAL) != 0,
                icrHigh >>> APIC_DEST_SHIFT);
        if (mode == DeliveryMode.LOWEST_PRIORITY && targets.size() > 1) {
            LocalApic lowest = targets.getFirst();
            for (LocalApic candidate : targets) {
                if (candidate.ppr() < lowest.ppr()) {
                    lowest = candidate;
                }
            }
            targets = List.of(lowest);
        }
        for (LocalApic target : targets) {
            target.receiveIpi(mode, vector, level, source.index());
        }
    }

    private List<LocalApic> targets(LocalApic source, Shorthand shorthand, boolean logical, int destination) {
        List<LocalApic> targets = new ArrayList<>();
        for (LocalApic apic : apics) {
            boolean hit = switch (shorthand) {
                case SELF -> apic == source;
                case ALL_INCLUDING_SELF -> true;
                case ALL_EXCLUDING_SELF -> apic != source;
                case NONE -> destination == 0xff || (logical ? apic.matchesLogical(destination)
                        : apic.id() == destination);
            };
            if (hit) {
                targets.add(apic);
            }
        }
        return targets;
    }

    // ---- kernel-facing senders ----

    /**
     * Send an IPI from {@code fromCpu} by writing its ICR high then low, as
     * native_apic_icr_write does. {@code destination} is a physical APIC ID (used with
     * {@link Shorthand#NONE}); INIT is sent level-triggered and asserted, as Linux sends it.
     */
    public void sendIpi(int fromCpu, Shorthand shorthand, int destination, DeliveryMode mode, int vector) {
        if (destination < 0 || destination > 0xff) {
            throw new IllegalArgumentException("APIC destination out of range: " + destination);
        }
        checkVector(vector);
        int low = shorthand.bits() | mode.bits() | vector;
        if (mode == DeliveryMode.INIT) {
            low |= APIC_INT_LEVELTRIG | APIC_INT_ASSERT;
        }
        LocalApic source = apic(fromCpu);
        source.write(APIC_ICR2, destination << APIC_DEST_SHIFT);
        source.write(APIC_ICR, low);
    }

    /** apic->send_IPI_allbutself(vector): the all-excluding-self shorthand. */
    public void sendIpiAllButSelf(int fromCpu, int vector) {
        apic(fromCpu).write(APIC_ICR, APIC_DEST_ALLBUT | prepareIcr(vector));
    }

    /** apic->send_IPI_all(vector): the all-including-self shorthand. */
    public void sendIpiAll(int fromCpu, int vector) {
        apic(fromCpu).write(APIC_ICR, APIC_DEST_ALLINC | prepareIcr(vector));
    }

    /** apic->send_IPI_self(vector). */
    public void sendIpiSelf(int fromCpu, int vector) {
        apic(fromCpu).write(APIC_ICR, APIC_DEST_SELF | prepareIcr(vector));
    }

    /**
     * apic->send_IPI_mask(mask, vector): one physical IPI per CPU in {@code cpus}, lowest index
     * first (default_send_IPI_mask_sequence_phys).
     */
    public void sendIpiMask(int fromCpu, BitSet cpus, int vector) {
        int icr = prepareIcr(vector);
        LocalApic source = apic(fromCpu);
        for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1)) {
            int destination = apic(cpu).id();
            source.write(APIC_ICR2, destination << APIC_DEST_SHIFT);
            source.write(APIC_ICR, icr);
        }
    }

    /** __prepare_ICR's mode selection: NMI_VECTOR means NMI delivery, anything else Fixed. */
    private static int prepareIcr(int vector) {
        checkVector(vector);
        return vector == NMI_VECTOR ? APIC_DM_NMI : APIC_DM_FIXED | vector;
    }

    private static void checkVector(int vector) {
        if (vector < 0 || vector > 255) {
            throw new IllegalArgumentException("vector out of range: " + vector);
        }
    }

    // ---- platform lines and boot ----

    /** The platform NMI line is wired to LINT1 of every CPU: assert it on each, in index order. */
    public void assertLint1All() {
        apics.forEach(LocalApic::assertLint1);
    }

    /** {@link LocalApic#linuxBootSetup()} on CPU {@code cpuIndex}. */
    public void linuxBootSetup(int cpuIndex) {
        apic(cpuIndex).linuxBootSetup();
    }

    /** {@link LocalApic#linuxBootSetup(ExtNmi)} on every CPU. */
    public void linuxBootSetupAll(ExtNmi extNmi) {
        apics.forEach(apic -> apic.linuxBootSetup(extNmi));
    }
}
