package dev.nmilab.cli;

import picocli.CommandLine;

/** The version line: nmilab's and the engine's. */
public final class Version implements CommandLine.IVersionProvider {
    public static final String NMILAB = "0.1.0";

    @Override
    public String[] getVersion() {
        String unicorn;
        try {
            unicorn = dev.nmilab.unicorn.Unicorn.version();
        } catch (RuntimeException e) {
            unicorn = "not found";
        }
        return new String[] {"nmilab " + NMILAB + " (unicorn " + unicorn + ", " + Runtime.version() + ")"};
    }
}
