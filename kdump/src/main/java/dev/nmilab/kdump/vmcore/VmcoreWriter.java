package dev.nmilab.kdump.vmcore;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a vmcore file as {@link VmcoreLayout} plans it, streaming memory straight from the
 * machine's host pages. The file appears under its name complete or not at all: it is written to
 * a temporary file in the same directory, forced to disk, then renamed over the name; on any
 * failure the temporary file is removed.
 */
public final class VmcoreWriter {
    private static final Logger LOG = LoggerFactory.getLogger(VmcoreWriter.class);
    private static final long CHUNK = 8L << 20;

    /** Called before each PT_LOAD's data is written (tests use it to fail part-way). */
    @FunctionalInterface
    interface LoadHook {
        void beforeLoad(int index) throws IOException;
    }

    private final LoadHook hook;

    public VmcoreWriter() {
        this(index -> { });
    }

    VmcoreWriter(LoadHook hook) {
        this.hook = hook;
    }

    public VmcoreLayout write(Path target, VmcoreContents contents) throws IOException {
        VmcoreLayout layout = VmcoreLayout.plan(contents);
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Path temporary = Files.createTempFile(directory, "." + absolute.getFileName() + ".", ".partial");
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                writeFully(out, ByteBuffer.wrap(layout.headers()));
                writeFully(out, ByteBuffer.wrap(layout.paddedNotes()));
                for (int i = 0; i < layout.loads().size(); i++) {
                    hook.beforeLoad(i);
                    ProgramHeader load = layout.loads().get(i);
                    copy(contents.memory().slice(load.paddr(), load.filesz()), out);
                }
                if (out.size() != layout.fileSize()) {
                    throw new IOException(String.format("%s: wrote %d bytes, planned %d", temporary, out.size(),
                            layout.fileSize()));
                }
                out.force(true);
            }
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        forceDirectory(directory);
        LOG.debug("wrote {}: {} bytes, {} CPUs, {} PT_LOADs holding {} bytes of memory", absolute, layout.fileSize(),
                contents.cpus().size(), layout.loads().size(), layout.memoryBytes());
        return layout;
    }

    private static void copy(MemorySegment memory, FileChannel out) throws IOException {
        for (long at = 0; at < memory.byteSize(); at += CHUNK) {
            writeFully(out, memory.asSlice(at, Math.min(CHUNK, memory.byteSize() - at)).asByteBuffer());
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    /** Make the rename itself durable (fsync of the directory). */
    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
