package dev.nmilab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** One nmilab command line run in-process, as {@link Main#execute} runs it, with its output captured. */
public record CliRun(int exitCode, String stdout, String stderr) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = Main.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int exit = line.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    public List<String> stdoutLines() {
        return stdout.isEmpty() ? List.of() : Arrays.asList(stdout.split("\n"));
    }

    public String lastStdoutLine() {
        List<String> lines = stdoutLines();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    public List<String> stderrLines() {
        return stderr.isEmpty() ? List.of() : Arrays.asList(stderr.split("\n"));
    }
}
