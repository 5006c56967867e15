package dev.nmilab.kernel.runtime;

/** What the kernel says about itself in oops and panic lines (utsname, the DMI string). */
public record KernelIdentity(String release, String version, String hardwareName) {
    public static KernelIdentity linux61() {
        return new KernelIdentity("6.1.0-nmilab", "#1", "nmilab x86-64 machine, BIOS nmilab 0.1.0");
    }
}
