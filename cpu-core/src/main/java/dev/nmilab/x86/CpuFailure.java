package dev.nmilab.x86;

/** The emulation of one CPU cannot go on: a Java gate or device threw, or the engine stopped unexpectedly. */
public final class CpuFailure extends RuntimeException {
    private final int cpu;
    private final long guestRip;

    public CpuFailure(Cpu cpu, long guestRip, Throwable cause) {
        super(String.format("CPU %d at %s: %s", cpu.index(), cpu.wiringSymbols().describe(guestRip),
                cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
        this.cpu = cpu.index();
        this.guestRip = guestRip;
    }

    public int cpu() {
        return cpu;
    }

    public long guestRip() {
        return guestRip;
    }
}
