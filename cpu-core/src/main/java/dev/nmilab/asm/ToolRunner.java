package dev.nmilab.asm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one GNU tool the way a build must: found on PATH up front so a missing
 * tool is named with the Debian package that provides it, started without a
 * shell, in a fixed environment (LC_ALL=C, so diagnostics do not depend on
 * the user's locale), and killed together with its children when it overruns
 * its time limit. Output goes to files rather than pipes so a chatty tool
 * cannot block on a full pipe.
 */
final class ToolRunner {

    private static final Logger log = LoggerFactory.getLogger(ToolRunner.class);

    enum Tool {
        GCC("gcc", "gcc"),
        AS("as", "binutils"),
        LD("ld", "binutils"),
        OBJDUMP("objdump", "binutils");

        final String command;
        final String debianPackage;

        Tool(String command, String debianPackage) {
            this.command = command;
            this.debianPackage = debianPackage;
        }
    }

    record Result(int exitCode, String stdout, String stderr) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private final Duration timeout;
    /** Where tools are looked up, and the PATH they run with (gcc finds cc1 through its own paths). */
    private final String searchPath;

    ToolRunner(Duration timeout) {
        this(timeout, systemSearchPath());
    }

    ToolRunner(Duration timeout, String searchPath) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("tool timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
        this.searchPath = searchPath;
    }

    /**
     * @param workingDirectory where relative paths in {@code arguments} resolve; null for the JVM's own
     * @param scratch          a private directory for the captured output and the tool's temp files
     */
    Result run(Tool tool, List<String> arguments, Path workingDirectory, Path scratch) throws AssemblyException {
        Path executable = locate(tool).orElseThrow(() -> notInstalled(tool));
        List<String> command = new ArrayList<>(arguments.size() + 1);
        command.add(executable.toString());
        command.addAll(arguments);
        log.debug("running {}", command);
        try {
            Path stdout = Files.createTempFile(scratch, tool.command, ".out");
            Path stderr = Files.createTempFile(scratch, tool.command, ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            Map<String, String> environment = builder.environment();
            environment.clear();
            environment.put("PATH", searchPath);
            environment.put("LC_ALL", "C");
            environment.put("LANG", "C");
            environment.put("TMPDIR", scratch.toString());
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new AssemblyException(tool.command + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(process.exitValue(),
                    Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssemblyException("interrupted while running " + tool.command, e);
        } catch (IOException e) {
            throw new AssemblyException("could not run " + tool.command + ": " + e.getMessage(), e);
        }
    }

    /** Fails fast with the install hint when a tool is missing, before any work is done. */
    void requireInstalled(Tool tool) throws AssemblyException {
        if (locate(tool).isEmpty()) {
            throw notInstalled(tool);
        }
    }

    private static AssemblyException notInstalled(Tool tool) {
        return new AssemblyException(tool.command + " is not installed (not found on PATH): install the Debian package "
                + tool.debianPackage);
    }

    Optional<Path> locate(Tool tool) {
        for (String directory : searchPath.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, tool.command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String systemSearchPath() {
        String path = System.getenv("PATH");
        return path == null || path.isBlank() ? "/usr/local/bin:/usr/bin:/bin" : path;
    }

    private static void kill(Process process) throws InterruptedException {
        // gcc runs cc1 as a child: end the children the tool started, then the tool itself,
        // and wait for all of them so none outlives the failed build.
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                log.warn("process {} started by a timed-out tool did not exit: {}", child.pid(), e.toString());
            }
        }
    }
}
