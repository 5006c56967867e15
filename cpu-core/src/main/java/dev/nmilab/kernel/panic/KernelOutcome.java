package dev.nmilab.kernel.panic;


/** How the modelled kernel ended, as far as it knows: what the run's verdict is made from. */
public final class KernelOutcome {
    public enum Ending { NONE, HALTED, RESET, VMCORE_SAVED }

    private Ending ending = Ending.NONE;
    private int panicCpu = -1;
    private String panicMessage;
    private long panicTimeNs;
    private String detail = "";

    public void panicked(int cpu, String message, long timeNs) {
        if (panicCpu < 0) {
            panicCpu = cpu;
            panicMessage = message;
            panicTimeNs = timeNs;
        }
    }

    public void ended(Ending how, String why) {
        if (ending == Ending.NONE) {
            ending = how;
            detail = why;
        }
    }

    public Ending ending() {
        return ending;
    }

    public int panicCpu() {
        return panicCpu;
    }

    public String panicMessage() {
        return panicMessage;
    }

    public long panicTimeNs() {
        return panicTimeNs;
    }

    public String detail() {
        return detail;
    }
}
