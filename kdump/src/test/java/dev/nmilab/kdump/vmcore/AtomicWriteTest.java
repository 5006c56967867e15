package dev.nmilab.kdump.vmcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmilab.memory.PhysicalMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A vmcore is under its name complete or not at all, and a failed write leaves nothing behind. */
class AtomicWriteTest {
    @TempDir
    Path temp;

    private List<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(temp)) {
            return list.sorted().toList();
        }
    }

    @Test
    void aFailureHalfWayLeavesNoFile() throws Exception {
        Path target = temp.resolve("vmcore");
        VmcoreWriter failing = new VmcoreWriter(index -> {
            if (index == 2) {
                throw new IOException("No space left on device");
            }
        });

        try (PhysicalMemory memory = TestVmcores.memory()) {
            IOException e = assertThrows(IOException.class,
                    () -> failing.write(target, TestVmcores.contents(memory, 2)));
            assertEquals("No space left on device", e.getMessage());
        }

        assertEquals(List.of(), files());
    }

    @Test
    void aFailedWriteKeepsThePreviousVmcore() throws Exception {
        Path target = TestVmcores.write(temp.resolve("vmcore"), 1);
        byte[] before = Files.readAllBytes(target);
        VmcoreWriter failing = new VmcoreWriter(index -> {
            throw new IOException("disk gone");
        });

        try (PhysicalMemory memory = TestVmcores.memory()) {
            assertThrows(IOException.class, () -> failing.write(target, TestVmcores.contents(memory, 3)));
        }

        assertEquals(List.of(target), files());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(target)));
    }

    @Test
    void aRenameThatFailsRemovesTheTemporaryFile() throws Exception {
        Path target = temp.resolve("vmcore");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep"), "a directory is in the way");

        try (PhysicalMemory memory = TestVmcores.memory()) {
            assertThrows(IOException.class, () -> new VmcoreWriter().write(target, TestVmcores.contents(memory, 1)));
        }

        assertEquals(List.of(target), files());
        assertTrue(Files.isDirectory(target));
    }

    @Test
    void aMissingDirectoryFailsBeforeWritingAnything() throws Exception {
        Path target = temp.resolve("no-such-dir").resolve("vmcore");

        try (PhysicalMemory memory = TestVmcores.memory()) {
            assertThrows(NoSuchFileException.class,
                    () -> new VmcoreWriter().write(target, TestVmcores.contents(memory, 1)));
        }

        assertFalse(Files.exists(target.getParent()));
    }
}
