package dev.nmilab.kernel.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nmilab.kernel.testing.BootedKernel;
import dev.nmilab.memory.GuestMemory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** init_uts_ns.name in emulated memory: what uname(2) and dump readers see of the kernel. */
class InitUtsNsTest {
    @Test
    void theBootedKernelsUtsnameSitsAtItsSymbolInSixtyFiveByteFields() throws Exception {
        try (BootedKernel kernel = BootedKernel.boot(1, "")) {
            GuestMemory physical = kernel.machine().physical();
            long at = KernelRuntime.INIT_UTS_NS_PHYSICAL;
            KernelIdentity identity = kernel.runtime().services().identity();

            assertEquals(List.of("Linux", "(none)", identity.release(), identity.version(), "x86_64", "(none)"),
                    List.of(InitUtsNs.field(physical, at, InitUtsNs.SYSNAME), InitUtsNs.field(physical, at,
                            InitUtsNs.NODENAME), InitUtsNs.field(physical, at, InitUtsNs.RELEASE),
                            InitUtsNs.field(physical, at, InitUtsNs.VERSION), InitUtsNs.field(physical, at,
                                    InitUtsNs.MACHINE), InitUtsNs.field(physical, at, InitUtsNs.DOMAINNAME)));
            assertEquals("6.1.0-nmilab", new String(physical.read(at + 130, 12), java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(0, physical.readByte(at + 130 + 12), "NUL-terminated");
            assertEquals(0xffff_ffff_80f0_2000L, KernelRuntime.initUtsNsAddress());
        }
    }

    @Test
    void aFieldLongerThanNewUtsLenIsRefused() {
        KernelIdentity identity = new KernelIdentity("6.1.0-" + "x".repeat(60), "#1", "hw");
        assertThrows(IllegalArgumentException.class,
                () -> InitUtsNs.write(new dev.nmilab.kernel.testing.ByteArrayGuestMemory(0, 4096), 0, identity));
    }
}
