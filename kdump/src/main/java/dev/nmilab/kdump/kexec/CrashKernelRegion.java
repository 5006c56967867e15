package dev.nmilab.kdump.kexec;

import dev.nmilab.kernel.KernelParamException;
import dev.nmilab.kernel.cmdline.KernelCommandLine;
import dev.nmilab.kernel.crash.CrashKernelParam;
import java.util.Optional;

/**
 * The memory crashkernel= reserves at boot (arch/x86/kernel/setup.c: reserve_crashkernel), placed
 * below the top of RAM (the top 4 MiB hold nmilab's vmalloc arena) on a 16 MiB boundary.
 */
public record CrashKernelRegion(long base, long size, long systemRam) {
    private static final long ALIGN = 16L << 20;
    private static final long TOP_RESERVED = 4L << 20;

    /** The reservation the command line asks for on a machine of {@code ram} bytes, if any. */
    public static Optional<CrashKernelRegion> fromCommandLine(KernelCommandLine cmdline, long ram) {
        Optional<String> value = cmdline.string("crashkernel");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        CrashKernelParam param;
        try {
            param = CrashKernelParam.parse(value.get());
        } catch (KernelParamException e) {
            throw new IllegalArgumentException("crashkernel=" + value.get() + ": " + e.getMessage(), e);
        }
        return param.select(ram).map(reservation -> {
            long size = reservation.size();
            long base = reservation.base().isPresent() && reservation.base().getAsLong() > 0
                    ? reservation.base().getAsLong()
                    : (ram - TOP_RESERVED - size) / ALIGN * ALIGN;
            if (base < ALIGN * 2 || base + size > ram - TOP_RESERVED) {
                throw new IllegalArgumentException("crashkernel=" + value.get() + ": " + (size >> 20)
                        + " MiB does not fit in " + (ram >> 20) + " MiB of RAM");
            }
            return new CrashKernelRegion(base, size, ram);
        });
    }

    /** The boot line reserve_crashkernel prints. */
    public String bootMessage() {
        return String.format("Reserving %dMB of memory at %dMB for crashkernel (System RAM: %dMB)", size >> 20,
                base >> 20, systemRam >> 20);
    }
}
