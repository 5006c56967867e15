package dev.nmilab.cli;

import dev.nmilab.kdump.vmcore.VmcoreFormatException;
import dev.nmilab.kdump.vmcore.VmcoreReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** nmilab crash: read a vmcore the way the crash utility does, one command or interactively. */
@Command(name = "crash", mixinStandardHelpOptions = true,
        description = {"Examine a vmcore written by nmilab: COMMAND is one of",
            "  log                    the kernel log, dmesg style",
            "  bt                     each CPU's saved frame and the text addresses on its stack",
            "  regs                   each CPU's saved registers (elf_prstatus.pr_reg)",
            "  rd ADDR [COUNT]        COUNT quadwords at ADDR (kernel virtual, or physical below the kernel half)",
            "  vtop ADDR              walk the page tables at SYMBOL(init_top_pgt)",
            "  ptov PHYSADDR          the direct-map address of a physical one",
            "  sym ADDR|NAME          the symbol at an address, or a symbol's address",
            "Without COMMAND, commands are read from standard input at a 'crash> ' prompt (q to quit).",
            "Exit 0 ok; 2 bad input (unreadable vmcore, unknown command, bad address); 3 internal error."})
public final class CrashCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VMCORE", description = "the vmcore file")
    Path vmcore;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "COMMAND", description = "a command and its arguments")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        VmcoreReader reader;
        try {
            reader = VmcoreReader.open(vmcore);
        } catch (VmcoreFormatException e) {
            err.println("nmilab: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (NoSuchFileException e) {
            err.println("nmilab: " + vmcore + ": no such file");
            return ExitCodes.BAD_INPUT;
        } catch (IOException e) {
            err.println("nmilab: " + vmcore + ": cannot read: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        try (reader) {
            CrashSession session = new CrashSession(reader, out);
            if (!command.isEmpty()) {
                try {
                    session.execute(command);
                    return ExitCodes.OK;
                } catch (CrashInputException e) {
                    out.flush();
                    err.println("nmilab: crash: " + e.getMessage());
                    return ExitCodes.BAD_INPUT;
                }
            }
            interactive(session, out, err);
            return ExitCodes.OK;
        }
    }

    /** One command a line from standard input, errors reported and the session going on, until q or EOF. */
    private static void interactive(CrashSession session, PrintWriter out, PrintWriter err) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true) {
            out.print("crash> ");
            out.flush();
            String line = in.readLine();
            if (line == null) {
                out.println();
                return;
            }
            List<String> words = Arrays.stream(line.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
            if (words.isEmpty()) {
                continue;
            }
            if (List.of("q", "quit", "exit").contains(words.getFirst())) {
                return;
            }
            try {
                session.execute(words);
            } catch (CrashInputException e) {
                out.flush();
                err.println("crash: " + e.getMessage());
                err.flush();
            }
        }
    }
}
