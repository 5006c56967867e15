package dev.nmilab.gate;

import dev.nmilab.x86.Cpu;
import dev.nmilab.unicorn.X86Reg;

/** One call through a gate: the CPU, the System V arguments, and whether to return to the caller. */
public final class GateCall {
    private static final X86Reg[] ARGUMENTS = {X86Reg.RDI, X86Reg.RSI, X86Reg.RDX, X86Reg.RCX, X86Reg.R8, X86Reg.R9};

    private final Cpu cpu;
    private final String name;
    private boolean returns = true;

    GateCall(Cpu cpu, String name) {
        this.cpu = cpu;
        this.name = name;
    }

    public Cpu cpu() {
        return cpu;
    }

    public String name() {
        return name;
    }

    /** Argument {@code n} (0 = RDI ... 5 = R9). */
    public long arg(int n) {
        if (n < 0 || n >= ARGUMENTS.length) {
            throw new IllegalArgumentException("gates take at most six register arguments");
        }
        return cpu.reg(ARGUMENTS[n]);
    }

    /** The gate has moved the CPU elsewhere itself (halted it, jumped): do not emulate ret. */
    public void noReturn() {
        returns = false;
    }

    boolean returns() {
        return returns;
    }
}
