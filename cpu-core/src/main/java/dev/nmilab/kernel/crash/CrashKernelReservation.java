package dev.nmilab.kernel.crash;

import java.util.OptionalLong;

/**
 * What crashkernel= asks to reserve on a given machine: a size and, when the parameter fixed one,
 * the physical base. An absent base means "find a place", which is also what the kernel does
 * with an explicit @0 (reserve_crashkernel() treats crash_base 0 as "allocate").
 */
public record CrashKernelReservation(long size, OptionalLong base, CrashKernelParam.Suffix suffix) {
    public CrashKernelReservation {
        if (size == 0) {
            throw new IllegalArgumentException("a reservation has a non-zero size");
        }
        if (base.isPresent() && base.getAsLong() == 0) {
            base = OptionalLong.empty();
        }
    }
}
