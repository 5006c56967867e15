package dev.nmilab.x86;

import dev.nmilab.asm.AssembledImage;
import dev.nmilab.asm.Assembler;
import dev.nmilab.asm.AssemblyException;
import dev.nmilab.event.CpuEvent;
import dev.nmilab.event.EventLog;
import dev.nmilab.event.ExceptionDelivered;
import dev.nmilab.smp.BootLayout;
import dev.nmilab.smp.Machine;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.stub.Injection;
import dev.nmilab.stub.StubSession;
import java.util.List;

/**
 * A stub assembled with the real GNU tools, loaded into a real {@link Machine} and booted, with
 * every event recorded: the fixture the delivery, NMI and SMP tests share.
 */
public final class StubRun implements AutoCloseable {
    public static final long MEMORY = 64L << 20;
    private static final Assembler ASSEMBLER = new Assembler();

    private final Machine machine;
    private final EventLog log = new EventLog();
    private final StubSession session;

    private StubRun(int cpus, String source) {
        AssembledImage image;
        try {
            image = ASSEMBLER.assemble("stub.S", source);
        } catch (AssemblyException e) {
            throw new IllegalStateException("test stub does not assemble: " + e.getMessage(), e);
        }
        machine = new Machine(cpus, MEMORY);
        try {
            machine.events().subscribe(log);
            session = new StubSession(machine, image);
        } catch (RuntimeException e) {
            machine.close();
            throw e;
        }
    }

    /** One CPU running {@code source} from _start, with {@code injections} (nmi@100, mce@label...). */
    public static StubRun start(String source, String... injections) {
        return start(1, source, injections);
    }

    public static StubRun start(int cpus, String source, String... injections) {
        StubRun run = new StubRun(cpus, source);
        try {
            for (String injection : injections) {
                run.session.inject(Injection.parse(injection));
            }
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
        return run;
    }

    public Scheduler.RunResult run(long maxInstructions) {
        return machine.scheduler().run(Long.MAX_VALUE, maxInstructions);
    }

    public Machine machine() {
        return machine;
    }

    public Cpu cpu(int index) {
        return machine.cpu(index);
    }

    public Cpu cpu() {
        return machine.cpu(0);
    }

    public EventLog log() {
        return log;
    }

    public long symbol(String name) {
        return session.image().symbols().requireAddress(name);
    }

    public long readLong(long address) {
        return machine.kernelSpace().readLong(address);
    }

    /** The quadword at data symbol {@code name}. */
    public long data(String name) {
        return readLong(symbol(name));
    }

    /** The five words of the frame a delivery pushed: RIP, CS, RFLAGS, RSP, SS (SDM vol. 3, Figure 6-9). */
    public long[] frame(ExceptionDelivered delivery) {
        long[] words = new long[5];
        for (int i = 0; i < words.length; i++) {
            words[i] = readLong(delivery.frame() + 8L * i);
        }
        return words;
    }

    /** The error code a delivery pushed, read from the stack just below its frame. */
    public long pushedErrorCode(ExceptionDelivered delivery) {
        return readLong(delivery.frame() - 8);
    }

    public <T extends CpuEvent> List<T> events(Class<T> type) {
        return log.events().stream().filter(type::isInstance).map(type::cast).toList();
    }

    public List<ExceptionDelivered> deliveries(int vector) {
        return events(ExceptionDelivered.class).stream().filter(e -> e.vector() == vector).toList();
    }

    /** The single delivery of {@code vector}; fails when there were none or several. */
    public ExceptionDelivered onlyDelivery(int vector) {
        List<ExceptionDelivered> all = deliveries(vector);
        if (all.size() != 1) {
            throw new AssertionError("expected exactly one " + Vector.name(vector) + " delivery, got " + all
                    + "\nevents:\n" + log.toJsonLines());
        }
        return all.get(0);
    }

    /** Replace IDT entry {@code vector} (the IDT is shared by every CPU). */
    public void setGate(int vector, IdtGate gate) {
        machine.kernelSpace().write(BootLayout.idt() + (long) vector * IdtGate.SIZE, gate.encode());
    }

    /** Point IST slot {@code ist} of {@code cpu}'s TSS at {@code top}. */
    public void setIst(int cpu, int ist, long top) {
        machine.kernelSpace().writeLong(DescriptorTables.istAddress(BootLayout.tss(cpu), ist), top);
    }

    @Override
    public void close() {
        machine.close();
    }
}
