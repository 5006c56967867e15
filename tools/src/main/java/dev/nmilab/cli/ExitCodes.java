package dev.nmilab.cli;

/** Exit statuses of every nmilab command. */
public final class ExitCodes {
    /** Success: the verdict was the expected one, or every CPU reached hlt. */
    public static final int OK = 0;
    /** A scenario's verdict differs from its expect. */
    public static final int VERDICT_DIFFERS = 1;
    /** Bad input: command line, scenario file, stub source, vmcore. */
    public static final int BAD_INPUT = 2;
    /** nmilab itself failed. */
    public static final int INTERNAL_ERROR = 3;
    /** asm run: the instruction budget ran out before every CPU halted. */
    public static final int BUDGET_EXHAUSTED = 4;
    /** asm run: a CPU shut down (triple fault, #MC while MCIP). */
    public static final int SHUTDOWN = 5;

    private ExitCodes() {
    }
}
