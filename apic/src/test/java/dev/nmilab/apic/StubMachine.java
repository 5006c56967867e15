package dev.nmilab.apic;

import dev.nmilab.asm.AssembledImage;
import dev.nmilab.asm.Assembler;
import dev.nmilab.asm.AssemblyException;
import dev.nmilab.event.Note;
import dev.nmilab.smp.Machine;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.stub.StubSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A machine running apic_stub.S with an {@link ApicBus} attached: every CPU reads its APIC ID
 * through MMIO, then runs script[cpu]; the handlers count NMIs and fixed vectors in memory.
 */
final class StubMachine implements AutoCloseable {
    static final int IDLE = 0;
    static final int SEND_IPIS = 1;
    static final int SPIN = 2;
    static final int SPIN_THEN_IDLE = 3;

    private static AssembledImage image;

    final Machine machine;
    final ApicBus bus;
    final List<Note> notes = new ArrayList<>();

    StubMachine(int cpus) {
        machine = new Machine(cpus, 64L << 20);
        try {
            machine.createCpus();
            bus = ApicBus.attach(machine);
            new StubSession(machine, image());
        } catch (RuntimeException e) {
            machine.close();
            throw e;
        }
        machine.events().subscribe(event -> {
            if (event instanceof Note note) {
                notes.add(note);
            }
        });
    }

    static synchronized AssembledImage image() {
        if (image == null) {
            try (InputStream in = StubMachine.class.getResourceAsStream("apic_stub.S")) {
                if (in == null) {
                    throw new IllegalStateException("test resource apic_stub.S is missing");
                }
                image = new Assembler().assemble("apic/apic_stub.S", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (AssemblyException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return image;
    }

    LocalApic apic(int cpu) {
        return bus.apic(cpu);
    }

    void script(int cpu, int script) {
        writeInt("script", cpu, script);
    }

    void writeInt(String symbol, int index, int value) {
        machine.kernelSpace().writeInt(address(symbol) + 4L * index, value);
    }

    void writeLong(String symbol, long value) {
        machine.kernelSpace().writeLong(address(symbol), value);
    }

    int readInt(String symbol, int index) {
        return machine.kernelSpace().readInt(address(symbol) + 4L * index);
    }

    int[] readInts(String symbol, int count) {
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = readInt(symbol, i);
        }
        return values;
    }

    int[] irqLog() {
        return readInts("irq_log", readInt("irq_log_len", 0));
    }

    private long address(String symbol) {
        return image().symbols().requireAddress(symbol);
    }

    /** Run until global virtual time reaches {@code timeNs}. */
    Scheduler.RunResult runUntil(long timeNs) {
        return machine.scheduler().run(timeNs, Long.MAX_VALUE);
    }

    /** Run until every CPU halts with nothing scheduled. */
    Scheduler.RunResult runToHalt() {
        return machine.scheduler().run(Long.MAX_VALUE, 1_000_000);
    }

    long notes(String kind) {
        return notes.stream().filter(n -> n.kind().equals(kind)).count();
    }

    @Override
    public void close() {
        machine.close();
    }
}
