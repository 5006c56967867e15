package dev.nmilab.kernel.sysctl;

/** How a sysctl's /proc/sys file reads and writes: which proc handler of kernel/sysctl.c it uses. */
public enum SysctlType {
    /** One int, proc_dointvec (or proc_dointvec_minmax when the definition has a range). */
    INT,
    /** A bool, proc_dobool: any integer is accepted, non-zero reads back as 1. */
    BOOL,
    /** Text, proc_dostring: a write keeps what comes before the first newline. */
    STRING,
    /** A fixed number of ints on one line, proc_dointvec over an int array (kernel.printk). */
    INT_VECTOR
}
