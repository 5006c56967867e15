package dev.nmilab.asm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linked stubs kept on disk by what made them: the source, its name, the link address, the
 * external symbols, the built-in headers and the GNU tools (path, size, modification time). A
 * hit skips gcc, as, ld and objdump; the linked ELF and objdump's listing are read back exactly
 * as a fresh build would produce them. Entries are written under a temporary name and renamed;
 * an entry that cannot be read is ignored and rebuilt.
 */
final class StubCache {
    private static final Logger log = LoggerFactory.getLogger(StubCache.class);

    /** What a build leaves for the loader: the ELF and the objdump listing of it. */
    record Entry(byte[] elf, String listing) {
    }

    private final Path directory;

    StubCache(Path directory) {
        this.directory = directory;
    }

    static String key(String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                digest.update((byte) ':');
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A tool binary as the key sees it: where it is, its size and when it changed. */
    static String fingerprint(Path tool) {
        try {
            Path real = tool.toRealPath();
            return real + " " + Files.size(real) + " " + Files.getLastModifiedTime(real).toMillis();
        } catch (IOException e) {
            return tool + " unreadable";
        }
    }

    Optional<Entry> get(String key) {
        Path elf = directory.resolve(key + ".elf");
        Path listing = directory.resolve(key + ".objdump");
        if (!Files.isRegularFile(elf) || !Files.isRegularFile(listing)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Entry(Files.readAllBytes(elf), Files.readString(listing, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            log.debug("stub cache entry {} unreadable: {}", key, e.toString());
            return Optional.empty();
        }
    }

    void put(String key, Entry entry) {
        try {
            Files.createDirectories(directory);
            write(directory.resolve(key + ".objdump"), entry.listing().getBytes(StandardCharsets.UTF_8));
            write(directory.resolve(key + ".elf"), entry.elf()); // last: its presence completes the entry
        } catch (IOException e) {
            log.debug("stub cache entry {} not written: {}", key, e.toString());
        }
    }

    private static void write(Path target, byte[] bytes) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.write(temporary, bytes);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
