package dev.nmilab.kdump.kexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nmilab.kdump.vmcore.CpuCrashRegisters;
import dev.nmilab.kdump.vmcore.VmcoreContents;
import dev.nmilab.kdump.vmcore.VmcoreWriter;
import dev.nmilab.kernel.printk.DmesgFormat;
import dev.nmilab.kernel.printk.LogLevel;
import dev.nmilab.kernel.printk.LogRecord;
import dev.nmilab.kernel.printk.PrintkRingbuffer;
import dev.nmilab.kernel.runtime.InitUtsNs;
import dev.nmilab.kernel.runtime.KernelIdentity;
import dev.nmilab.kernel.runtime.KernelRuntime;
import dev.nmilab.memory.AddressSpace;
import dev.nmilab.memory.KernelLayout;
import dev.nmilab.memory.Mapping;
import dev.nmilab.memory.PhysicalMemory;
import dev.nmilab.unicorn.Protection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's makedumpfile, where installed, reads the printk ring of a vmcore laid out as the
 * capture kernel lays it out (init_uts_ns, init_top_pgt, mem_section, the ring and VMCOREINFO),
 * after the ring has wrapped many times: wrapping data blocks, reusable descriptors, a tail far
 * from the start.
 */
class MakedumpfileDmesgTest {
    private static final int RECORDS = 400;

    @TempDir
    Path temp;

    private static boolean installed(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    @Test
    void makedumpfilePrintsEveryRecordLeftInAWrappedRing() throws Exception {
        assumeTrue(installed("makedumpfile"), "makedumpfile is not installed");
        Path vmcore = temp.resolve("vmcore");
        List<LogRecord> all = new ArrayList<>();
        List<LogRecord> kept;
        try (PhysicalMemory memory = new PhysicalMemory(64L << 20)) {
            AddressSpace kernel = new AddressSpace(memory);
            kernel.map(new Mapping("direct map", KernelLayout.PAGE_OFFSET, 0, memory.size(), Protection.ALL));
            // 32 descriptors and 2 KiB of text: both rings wrap
            PrintkRingbuffer ring = new PrintkRingbuffer(kernel, KernelRuntime.logBufferAddress(), 5, 11);
            for (int i = 0; i < RECORDS; i++) {
                LogRecord record = new LogRecord(i, 1_000_003L * i * i, LogLevel.of(i % 8), i % 4, -1,
                        "record " + i + " " + "=".repeat(i * 37 % 200));
                all.add(record);
                ring.append(record);
            }
            kept = PrintkRingbuffer.read(kernel, ring.ringAddress());
            KernelIdentity identity = KernelIdentity.linux61();
            InitUtsNs.write(memory, KernelRuntime.INIT_UTS_NS_PHYSICAL, identity);
            long imageEnd = KernelLayout.KERNEL_TEXT_PHYSICAL + 0x1000;
            InitTopPgt.build(memory, memory.size(), imageEnd);
            MemSection.build(memory, memory.size());
            String vmcoreinfo = CaptureKernel.vmcoreinfo(identity.release(), CaptureKernel.BOOT_REALTIME_SECONDS + 160);
            new VmcoreWriter().write(vmcore, new VmcoreContents(
                    List.of(new CpuCrashRegisters(0, 0, new long[CpuCrashRegisters.NGREG])), vmcoreinfo, Map.of(),
                    memory, KernelLayout.KERNEL_TEXT_PHYSICAL, imageEnd));
        }
        assertTrue(kept.size() > 10 && kept.size() < 32, "the data ring holds " + kept.size() + " records");
        assertEquals(all.subList(RECORDS - kept.size(), RECORDS), kept, "the newest records, none missing");

        Path dmesg = temp.resolve("dmesg.txt");
        Process process = new ProcessBuilder("makedumpfile", "--dump-dmesg", vmcore.toString(), dmesg.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "makedumpfile timed out");
        assertEquals(0, process.exitValue(), output);

        List<String> expected = kept.stream().map(r -> DmesgFormat.line(r.timestampNs(), r.text())).toList();
        assertEquals(expected, Files.readAllLines(dmesg));
    }
}
