package dev.nmilab.stub;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An event to inject into a stub run, parsed from {@code KIND[:VECTOR]@WHERE[:cpuN]}: KIND is
 * nmi, irq (with a vector 32..255) or mce; WHERE is an instruction count of the target CPU or a
 * symbol the CPU is about to execute. Examples: {@code nmi@100}, {@code nmi@bp_returned},
 * {@code irq:0x30@500:cpu1}, {@code mce@handler_start}.
 */
public record Injection(Kind kind, int vector, long count, String symbol, int cpu, String text) {
    public enum Kind { NMI, IRQ, MCE }

    private static final Pattern SYNTAX = Pattern.compile(
            "(?<kind>[a-z]+)(?::(?<vector>0x[0-9a-fA-F]+|\\d+))?@(?<where>[A-Za-z_.$][\\w.$]*|\\d+)(?::cpu(?<cpu>\\d+))?");

    public static Injection parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad injection '" + text
                    + "': expected KIND[:VECTOR]@COUNT|SYMBOL[:cpuN], e.g. nmi@100 or irq:0x30@my_label");
        }
        Kind kind;
        try {
            kind = Kind.valueOf(m.group("kind").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad injection '" + text + "': kind must be nmi, irq or mce");
        }
        int vector = switch (kind) {
            case NMI -> 2;
            case MCE -> 18;
            case IRQ -> parseVector(text, m.group("vector"));
        };
        if (kind != Kind.IRQ && m.group("vector") != null) {
            throw new IllegalArgumentException("bad injection '" + text + "': only irq takes a vector");
        }
        String where = m.group("where");
        boolean numeric = Character.isDigit(where.charAt(0));
        long count = numeric ? Long.parseLong(where) : -1;
        int cpu = m.group("cpu") == null ? 0 : Integer.parseInt(m.group("cpu"));
        return new Injection(kind, vector, count, numeric ? null : where, cpu, text);
    }

    private static int parseVector(String text, String vector) {
        if (vector == null) {
            throw new IllegalArgumentException("bad injection '" + text + "': irq needs a vector, e.g. irq:0x30@100");
        }
        int value = vector.startsWith("0x") ? Integer.parseInt(vector.substring(2), 16) : Integer.parseInt(vector);
        if (value < 32 || value > 255) {
            throw new IllegalArgumentException("bad injection '" + text + "': irq vector must be 32..255, got " + value);
        }
        return value;
    }

    public boolean atSymbol() {
        return symbol != null;
    }
}
