package dev.nmilab.scenario;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Integers as scenario files write them: decimal or {@code 0x} hexadecimal (vectors are usually
 * written in hex), with an optional minus sign and {@code _} between digits for readability.
 */
public final class Integers {

    private static final Pattern DECIMAL = Pattern.compile("(-?)(\\d+(?:_\\d+)*)");
    private static final Pattern HEX = Pattern.compile("(-?)0[xX]([0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)");

    private Integers() {
    }

    /**
     * Parses {@code text} to a long.
     *
     * @throws NumberFormatException when {@code text} is not such an integer or does not fit in a long
     */
    public static long parse(String text) {
        Matcher decimal = DECIMAL.matcher(text);
        Matcher hex = HEX.matcher(text);
        BigInteger value;
        if (decimal.matches()) {
            value = new BigInteger(decimal.group(1) + decimal.group(2).replace("_", ""));
        } else if (hex.matches()) {
            value = new BigInteger(hex.group(1) + hex.group(2).replace("_", ""), 16);
        } else {
            throw new NumberFormatException("not an integer: " + text);
        }
        if (value.bitLength() > 63) {
            throw new NumberFormatException("out of the long range: " + text);
        }
        return value.longValueExact();
    }
}
