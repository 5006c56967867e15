package dev.nmilab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** nmilab: an x86-64 interrupt-subsystem emulator. */
@Command(name = "nmilab", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "x86-64 interrupt-subsystem emulator: real entry stubs on Unicorn, the kernel around them in Java.",
        subcommands = {RunCommand.class, ScenariosCommand.class, ProfilesCommand.class, AsmCommand.class,
            BenchCommand.class, CrashCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Run a command line as the CLI would, returning the exit status. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The CLI's command line with its error handlers (bad input exits 2, internal errors 3), for
     * callers that redirect its output with {@link CommandLine#setOut} / {@link CommandLine#setErr}.
     */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new Main());
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("nmilab: internal error: " + e);
            return ExitCodes.INTERNAL_ERROR;
        });
        line.setParameterExceptionHandler((e, args1) -> {
            e.getCommandLine().getErr().println("nmilab: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        });
        return line;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see --help)");
    }
}
