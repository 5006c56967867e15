package dev.nmilab.kdump.vmcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nmilab.memory.KernelLayout;
import dev.nmilab.memory.PhysicalMemory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** readelf and gdb, where installed, read the vmcore as a Linux /proc/vmcore. */
class ExternalToolsTest {
    private static final int CPUS = 3;

    @TempDir
    Path temp;

    private static boolean installed(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        return text;
    }

    @Test
    void readelfListsTheNotesAndTheSegments() throws Exception {
        assumeTrue(installed("readelf"), "readelf is not installed");
        Path file = temp.resolve("vmcore");
        VmcoreLayout layout;
        try (PhysicalMemory memory = TestVmcores.memory()) {
            layout = new VmcoreWriter().write(file, TestVmcores.contents(memory, CPUS));
        }

        String out = run("readelf", "-h", "-l", "-n", "-W", file.toString());

        assertTrue(out.contains("Type:                              CORE (Core file)"), out);
        assertTrue(out.contains("Machine:                           Advanced Micro Devices X86-64"), out);
        List<String> notes = new ArrayList<>();
        Matcher note = Pattern.compile("(?m)^\\s+(CORE|VMCOREINFO|NMILAB)\\s+0x([0-9a-f]+)\\s+([^\t\n]*)").matcher(out);
        while (note.find()) {
            notes.add(note.group(1) + " " + Integer.parseInt(note.group(2), 16) + " " + note.group(3).trim());
        }
        assertEquals(List.of("CORE 336 NT_PRSTATUS (prstatus structure)", "CORE 336 NT_PRSTATUS (prstatus structure)",
                "CORE 336 NT_PRSTATUS (prstatus structure)",
                "VMCOREINFO " + TestVmcores.vmcoreinfo().length() + " Unknown note type: (0x00000000)",
                "NMILAB " + notes.getLast().split(" ")[1] + " Unknown note type: (0x00004e4d)"), notes);
        List<String> segments = new ArrayList<>();
        Matcher segment = Pattern.compile(
                "(?m)^\\s+(NOTE|LOAD)\\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+)")
                .matcher(out);
        while (segment.find()) {
            segments.add(segment.group(1) + " off=" + Long.parseLong(segment.group(2), 16) + " vaddr="
                    + segment.group(3).replaceFirst("^0+(?=.)", "") + " paddr=" + Long.parseLong(segment.group(4), 16)
                    + " size=" + Long.parseLong(segment.group(5), 16));
        }
        List<String> expected = new ArrayList<>();
        expected.add("NOTE off=4096 vaddr=0 paddr=0 size=" + layout.noteHeader().filesz());
        for (ProgramHeader load : layout.loads()) {
            expected.add("LOAD off=" + load.offset() + " vaddr=" + Long.toHexString(load.vaddr()) + " paddr="
                    + load.paddr() + " size=" + load.filesz());
        }
        assertEquals(expected, segments);
        assertEquals("LOAD off=8192 vaddr=ffffffff81000000 paddr=16777216 size=12288", segments.get(1));
    }

    @Test
    void gdbShowsOneThreadPerCpuAtItsRip() throws Exception {
        assumeTrue(installed("gdb"), "gdb is not installed");
        Path file = TestVmcores.write(temp.resolve("vmcore"), CPUS);
        long data = KernelLayout.directMap(TestVmcores.DATA_PHYSICAL + 0x10);

        String out = run("gdb", "-nx", "-batch", "-c", file.toString(), "-ex", "info threads",
                "-ex", String.format("x/gx 0x%x", data));

        List<String> threads = new ArrayList<>();
        Matcher thread = Pattern.compile("(?m)^[* ] +(\\d+) +LWP (\\d+) +0x([0-9a-f]+) in").matcher(out);
        while (thread.find()) {
            threads.add(thread.group(1) + " pid " + thread.group(2) + " rip " + thread.group(3));
        }
        List<String> expected = new ArrayList<>();
        for (CpuCrashRegisters cpu : TestVmcores.registers(CPUS)) {
            expected.add((cpu.cpu() + 1) + " pid " + cpu.pid() + " rip " + Long.toHexString(cpu.rip()));
        }
        assertEquals(expected, threads, out);
        assertTrue(out.contains(String.format("0x%x:\t0x%x", data, 0xda7a_0000_0000_0000L | (data - KernelLayout.PAGE_OFFSET))), out);
    }
}
