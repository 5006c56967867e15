package dev.nmilab.stub;

import dev.nmilab.asm.AssembledImage;
import dev.nmilab.asm.Symbol;
import dev.nmilab.smp.BootLayout;
import dev.nmilab.smp.Machine;
import dev.nmilab.smp.Scheduler;
import dev.nmilab.x86.Cpu;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A machine running one assembled stub: its image loaded at its link address, the default IDT
 * built from its handler symbols (unless it loads its own), every CPU started at {@code _start}.
 */
public final class StubSession {
    public static final String ENTRY = "_start";

    private final Machine machine;
    private final AssembledImage image;

    /** Load {@code image} into {@code machine} (whose gates are all registered) and boot every CPU. */
    public StubSession(Machine machine, AssembledImage image) {
        this.machine = machine;
        this.image = image;
        long entry = image.symbols().addressOf(ENTRY).orElseThrow(
                () -> new IllegalArgumentException(image.name() + ": no _start symbol (every CPU starts there)"));
        Map<String, Long> symbols = new LinkedHashMap<>();
        for (Symbol symbol : image.symbols().symbols()) {
            symbols.put(symbol.name(), symbol.address());
        }
        machine.loadCode(image.loadAddress(), image.bytes(), symbols, dev.nmilab.stub.ImageSites.image(image));
        machine.writeIdt(DefaultIdt.handlers(name -> image.symbols().addressOf(name)), BootLayout.defaultIst());
        machine.boot(entry);
    }


    public Machine machine() {
        return machine;
    }

    public AssembledImage image() {
        return image;
    }

    /** Arrange for {@code injection} to happen during the run. */
    public void inject(Injection injection) {
        if (injection.cpu() >= machine.cpuCount()) {
            throw new IllegalArgumentException("injection '" + injection.text() + "': CPU " + injection.cpu()
                    + " does not exist (" + machine.cpuCount() + " CPUs)");
        }
        Cpu cpu = machine.cpu(injection.cpu());
        Runnable raise = switch (injection.kind()) {
            case NMI -> () -> cpu.raiseNmi("inject " + injection.text());
            case IRQ -> () -> cpu.raiseInterrupt(injection.vector());
            case MCE -> cpu::raiseMachineCheck;
        };
        Scheduler scheduler = machine.scheduler();
        if (injection.atSymbol()) {
            long address = image.symbols().addressOf(injection.symbol()).orElseThrow(
                    () -> new IllegalArgumentException("injection '" + injection.text() + "': no symbol "
                            + injection.symbol() + " in " + image.name()));
            scheduler.atAddress(injection.cpu(), address, 1, raise);
        } else {
            scheduler.afterInstructions(injection.cpu(), injection.count(), raise);
        }
    }
}
