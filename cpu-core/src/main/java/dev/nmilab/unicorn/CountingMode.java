package dev.nmilab.unicorn;

/**
 * How a counted engine counts the instructions it executes.
 *
 * <p>{@link #BLOCKS} is the default: a native block hook adds a whole translation block's
 * instruction count when the block starts, and only the instructions that matter (sites, port
 * I/O) carry a hook of their own; exact positions inside a block come from decoding its bytes.
 * {@link #INSTRUCTIONS} runs a native hook before every instruction: about three times slower,
 * kept as the reference the block mode is checked against and as the fallback for code the
 * decoder cannot split. The system property {@code nmilab.counting} ({@code blocks} or
 * {@code instructions}) chooses the mode of new engines.
 */
public enum CountingMode {
    BLOCKS, INSTRUCTIONS;

    public static final String PROPERTY = "nmilab.counting";

    /** The mode {@code nmilab.counting} names, {@link #BLOCKS} when it is not set. */
    public static CountingMode fromSystemProperty() {
        String value = System.getProperty(PROPERTY, "blocks");
        return switch (value) {
            case "blocks" -> BLOCKS;
            case "instructions" -> INSTRUCTIONS;
            default -> throw new IllegalArgumentException(
                    PROPERTY + "=" + value + ": expected blocks or instructions");
        };
    }
}
