package dev.nmilab.asm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the special instructions out of an {@code objdump -d} listing made
 * with {@code --insn-width=15} and AT&amp;T syntax, where every instruction is
 * one line: {@code "ffffffff81000010:\t48 cf   \tiretq"}. The length is the
 * number of raw bytes shown, so it needs no knowledge of the encoding.
 */
final class ObjdumpListing {

    /** Address, colon, tab, the raw bytes, then (after a tab) the instruction text. */
    private static final Pattern INSTRUCTION_LINE =
            Pattern.compile("^\\s*([0-9a-f]+):\\t((?:[0-9a-f]{2} ?)+)\\s*(?:\\t(.*))?$");

    private static final Map<String, SpecialInstruction.Kind> MNEMONICS = Map.ofEntries(
            Map.entry("iretq", SpecialInstruction.Kind.IRETQ),
            Map.entry("iret", SpecialInstruction.Kind.IRET),
            Map.entry("iretl", SpecialInstruction.Kind.IRET),
            Map.entry("iretw", SpecialInstruction.Kind.IRET),
            Map.entry("hlt", SpecialInstruction.Kind.HLT),
            Map.entry("sti", SpecialInstruction.Kind.STI),
            Map.entry("cli", SpecialInstruction.Kind.CLI),
            Map.entry("popf", SpecialInstruction.Kind.POPF),
            Map.entry("popfq", SpecialInstruction.Kind.POPF),
            Map.entry("popfw", SpecialInstruction.Kind.POPF),
            Map.entry("ud2", SpecialInstruction.Kind.UD2),
            Map.entry("int3", SpecialInstruction.Kind.INT3));

    /** Prefixes objdump prints as separate words before the mnemonic ("data16 iretq", "rex.W popf"). */
    private static final Set<String> PREFIXES = Set.of("data16", "data32", "addr16", "addr32", "lock", "rep", "repz",
            "repe", "repnz", "repne", "cs", "ds", "es", "fs", "gs", "ss", "notrack", "bnd", "xacquire", "xrelease");

    private ObjdumpListing() {
    }

    static List<SpecialInstruction> specialInstructions(String listing) {
        List<SpecialInstruction> sites = new ArrayList<>();
        for (String line : listing.split("\n")) {
            Matcher matcher = INSTRUCTION_LINE.matcher(line);
            if (!matcher.matches() || matcher.group(3) == null) {
                continue;
            }
            SpecialInstruction.Kind kind = MNEMONICS.get(mnemonic(matcher.group(3)));
            if (kind != null) {
                long address = Long.parseUnsignedLong(matcher.group(1), 16);
                int length = matcher.group(2).trim().split(" ").length;
                sites.add(new SpecialInstruction(kind, address, length));
            }
        }
        sites.sort(Comparator.comparing(SpecialInstruction::address, Long::compareUnsigned));
        return List.copyOf(sites);
    }

    /** The first word of the instruction text that is not a prefix. */
    private static String mnemonic(String instruction) {
        for (String word : instruction.trim().split("\\s+")) {
            if (!PREFIXES.contains(word) && !word.startsWith("rex")) {
                return word;
            }
        }
        return "";
    }
}
