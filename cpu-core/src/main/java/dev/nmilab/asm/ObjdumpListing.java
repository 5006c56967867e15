package dev.nmilab.asm;

import dev.nmilab.x86.decode.EngineAborts;
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
    /** "ffffffff81000000 <_start>:" */
    private static final Pattern LABEL_LINE = Pattern.compile("^([0-9a-f]+) <(.+)>:$");

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

    /**
     * The instructions Unicorn 2.0.1 cannot translate without aborting the process
     * ({@link EngineAborts#abortsTranslation}), each as "symbol+0xoff (bytes: text)".
     */
    static List<String> engineAborts(String listing) {
        record Line(long address, String label, long labelAddress, String[] hex, String text) {
        }
        List<Line> lines = new ArrayList<>();
        String label = null;
        long labelAddress = 0;
        for (String line : listing.split("\n")) {
            Matcher labelLine = LABEL_LINE.matcher(line);
            if (labelLine.matches()) {
                labelAddress = Long.parseUnsignedLong(labelLine.group(1), 16);
                label = labelLine.group(2);
                continue;
            }
            Matcher matcher = INSTRUCTION_LINE.matcher(line);
            if (matcher.matches()) {
                lines.add(new Line(Long.parseUnsignedLong(matcher.group(1), 16), label, labelAddress,
                        matcher.group(2).trim().split(" "), matcher.group(3) == null ? "" : matcher.group(3).trim()));
            }
        }
        List<String> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            // objdump may split an encoding it calls (bad) differently from the engine ("ff d8" is
            // "(bad)" then "d8 .."), so the bytes that follow are looked at too
            byte[] bytes = new byte[15];
            int length = 0;
            for (int k = i; k < lines.size() && length < bytes.length; k++) {
                for (String hex : lines.get(k).hex()) {
                    if (length < bytes.length) {
                        bytes[length++] = (byte) Integer.parseInt(hex, 16);
                    }
                }
                if (!lines.get(k).text().startsWith("(bad)") && k > i) {
                    break;
                }
            }
            Line line = lines.get(i);
            if (EngineAborts.abortsTranslation(bytes, 0, length)) {
                String where = line.label() == null ? String.format("0x%x", line.address())
                        : String.format("%s+0x%x", line.label(), line.address() - line.labelAddress());
                found.add(String.format("%s (%s: %s)", where, String.join(" ", line.hex()), line.text()));
            }
        }
        return found;
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
