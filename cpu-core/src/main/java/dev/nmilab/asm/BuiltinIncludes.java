package dev.nmilab.asm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The macro library shipped in this jar (calling.h, nmilab.h). gcc needs
 * real files on its include path, so the resources are copied once per JVM
 * into a temporary directory that is removed when the JVM exits.
 */
final class BuiltinIncludes {

    private static final Logger log = LoggerFactory.getLogger(BuiltinIncludes.class);

    /** The headers, relative to this package's {@code include/} resource folder. */
    static final List<String> HEADERS = List.of("calling.h", "nmilab.h");

    /**
     * How diagnostics and {@code __FILE__} name the extracted directory: its
     * resource path, which is stable, instead of a temporary path, which is not.
     */
    static final String SHOWN_AS = "dev/nmilab/asm/include";

    private static Path directory;

    private BuiltinIncludes() {
    }

    static synchronized Path directory() throws AssemblyException {
        // Extracted again if something (a tmp cleaner) removed it while the JVM ran.
        if (directory == null || !Files.isDirectory(directory)) {
            directory = extract();
        }
        return directory;
    }

    private static Path extract() throws AssemblyException {
        try {
            Path target = Files.createTempDirectory("nmilab-asm-include-");
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> remove(target)));
            for (String header : HEADERS) {
                try (InputStream in = BuiltinIncludes.class.getResourceAsStream("include/" + header)) {
                    if (in == null) {
                        throw new AssemblyException("resource " + SHOWN_AS + "/" + header + " is missing from the classpath");
                    }
                    Files.copy(in, target.resolve(header));
                }
            }
            log.debug("extracted {} to {}", SHOWN_AS, target);
            return target;
        } catch (IOException e) {
            throw new AssemblyException("cannot extract the built-in include files: " + e.getMessage(), e);
        }
    }

    private static void remove(Path target) {
        try {
            for (String header : HEADERS) {
                Files.deleteIfExists(target.resolve(header));
            }
            Files.deleteIfExists(target);
        } catch (IOException e) {
            // The JVM is exiting; a leftover temp directory is all that can go wrong.
            log.warn("could not remove {}: {}", target, e.getMessage());
        }
    }
}
