package dev.nmilab.cli;

import picocli.CommandLine.Command;

/** Commands on assembly stubs. */
@Command(name = "asm", mixinStandardHelpOptions = true, description = "Assemble and run entry stubs.",
        subcommands = {AsmRunCommand.class})
public final class AsmCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "asm needs a subcommand (run)");
    }
}
