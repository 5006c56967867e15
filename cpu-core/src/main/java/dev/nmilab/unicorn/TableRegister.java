package dev.nmilab.unicorn;

/** GDTR, IDTR, LDTR or TR as uc_x86_mmr holds it. */
public record TableRegister(int selector, long base, int limit, int flags) {
}
