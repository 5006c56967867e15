package dev.nmilab.kernel.sysctl;

import dev.nmilab.kernel.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * A sysctl write written the way people write them in runbooks and scenario files:
 * <ul>
 * <li>{@code kernel.panic=10} or {@code kernel.panic = 10} (sysctl.conf syntax),</li>
 * <li>{@code sysctl -w kernel.panic=10},</li>
 * <li>{@code echo 1 > /proc/sys/kernel/unknown_nmi_panic} (also {@code >>}, {@code echo -n}, quoted words).</li>
 * </ul>
 * The value is what reaches write(2) on the proc file: echo appends a newline, the others do not.
 */
public record SysctlCommand(String name, String value) {

    public static SysctlCommand parse(String command) {
        String trimmed = command.strip();
        if (trimmed.startsWith("echo ") || trimmed.startsWith("echo\t")) {
            return parseEcho(command, trimmed);
        }
        String assignment = trimmed;
        if (trimmed.startsWith("sysctl ") || trimmed.startsWith("sysctl\t")) {
            List<String> words = new ArrayList<>(List.of(trimmed.substring("sysctl".length()).strip().split("\\s+", -1)));
            while (!words.isEmpty() && words.get(0).startsWith("-")) {
                words.remove(0);
            }
            assignment = String.join(" ", words);
        }
        int equals = assignment.indexOf('=');
        if (equals <= 0) {
            throw unparsable(command, "expected name=value, sysctl -w name=value or echo value > /proc/sys/...");
        }
        String name = assignment.substring(0, equals).strip();
        String value = assignment.substring(equals + 1).strip();
        return new SysctlCommand(name, value);
    }

    private static SysctlCommand parseEcho(String command, String trimmed) {
        List<String> words = shellWords(command, trimmed.substring("echo".length()));
        int redirect = -1;
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).equals(">") || words.get(i).equals(">>")) {
                redirect = i;
                break;
            }
        }
        if (redirect < 0 || redirect != words.size() - 2) {
            throw unparsable(command, "expected echo value > /proc/sys/...");
        }
        List<String> arguments = new ArrayList<>(words.subList(0, redirect));
        boolean newline = true;
        while (!arguments.isEmpty() && arguments.get(0).equals("-n")) {
            newline = false;
            arguments.remove(0);
        }
        String target = words.get(redirect + 1);
        if (!target.startsWith(Sysctls.PROC_SYS)) {
            throw unparsable(command, "echo must write to a file under " + Sysctls.PROC_SYS);
        }
        return new SysctlCommand(target, String.join(" ", arguments) + (newline ? "\n" : ""));
    }

    /** Splits shell words with '...' and "..." quoting; '>' and '>>' stand alone even when glued to a word. */
    private static List<String> shellWords(String command, String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int close = text.indexOf(c, i + 1);
                if (close < 0) {
                    throw unparsable(command, "unterminated " + c + " quote");
                }
                word.append(text, i + 1, close);
                inWord = true;
                i = close;
            } else if (c == '>') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                boolean append = i + 1 < text.length() && text.charAt(i + 1) == '>';
                words.add(append ? ">>" : ">");
                if (append) {
                    i++;
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static SysctlException unparsable(String command, String expected) {
        return new SysctlException("cannot parse sysctl command \"" + command.strip() + "\": " + expected,
                command.strip(), null, Errno.EINVAL);
    }
}
