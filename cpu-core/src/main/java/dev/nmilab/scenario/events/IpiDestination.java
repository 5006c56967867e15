package dev.nmilab.scenario.events;

/**
 * Where an IPI goes: one CPU, or one of the ICR destination shorthands
 * (SDM vol. 3, "Interrupt Command Register").
 */
public sealed interface IpiDestination {

    /** A physical destination: one CPU by number. */
    record Cpu(int cpu) implements IpiDestination {
    }

    /** The ICR shorthands; their scenario spellings are {@code self}, {@code all}, {@code all-but-self}. */
    enum Shorthand implements IpiDestination {
        SELF("self"),
        ALL("all"),
        ALL_BUT_SELF("all-but-self");

        private final String spelling;

        Shorthand(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }
    }
}
