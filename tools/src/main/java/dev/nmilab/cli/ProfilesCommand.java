package dev.nmilab.cli;

import dev.nmilab.kernel.profile.KernelProfile;
import dev.nmilab.kernel.profile.KernelProfiles;
import dev.nmilab.run.NmilabProfiles;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** nmilab profiles: the kernel profiles and what each changes. */
@Command(name = "profiles", mixinStandardHelpOptions = true, description = "List kernel profiles and what each changes.")
public final class ProfilesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (KernelProfile profile : NmilabProfiles.all().all()) {
            out.printf("%s: %s%n", profile.name(), profile.description());
            out.printf("  command line: %s%n", profile.defaultCmdline());
            profile.defaultSysctls().forEach((name, value) -> out.printf("  sysctl %s = %s%n", name, value));
            profile.changes().forEach(change -> out.printf("  changes: %s%n", change));
        }
        return ExitCodes.OK;
    }
}
