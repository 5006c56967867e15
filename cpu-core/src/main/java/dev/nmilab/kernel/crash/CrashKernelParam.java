package dev.nmilab.kernel.crash;

import com.google.common.collect.ImmutableList;
import dev.nmilab.kernel.KernelParamException;
import dev.nmilab.kernel.cmdline.KernelCommandLine;
import dev.nmilab.kernel.cmdline.KernelParam;
import dev.nmilab.kernel.lib.Memparse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A crashkernel= value as kernel/crash_core.c (Linux 6.1) reads it, in its three forms:
 * <ul>
 * <li>simple, {@code size[KMG][@offset[KMG]]} (parse_crashkernel_simple);</li>
 * <li>by memory size, {@code start-[end]:size[,start-[end]:size...][@offset]}, where the first range
 *     with start &lt;= System RAM &lt; end gives the size (parse_crashkernel_mem);</li>
 * <li>with a suffix, {@code size,high} or {@code size,low} (parse_crashkernel_suffix), used by
 *     parse_crashkernel_high()/parse_crashkernel_low().</li>
 * </ul>
 * Error messages use the kernel's pr_warn wording and add where in the value the problem is.
 *
 * <p>Deliberate difference: the kernel parses lazily and stops at the first matching range, so
 * garbage after it (or after a simple size's @offset) passes unnoticed, and an empty "@" reads as
 * base 0. Here the whole value is checked up front, so a typo fails on every machine size, with
 * the kernel's message where it has one and "crashkernel: unrecognized char: x" otherwise.
 */
public final class CrashKernelParam {
    /** The suffixes of suffix_tbl[] in kernel/crash_core.c. */
    public enum Suffix {
        NONE(""),
        HIGH(",high"),
        LOW(",low");

        private final String text;

        Suffix(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** One {@code start-[end]:size} entry; an absent end means no upper bound (ULLONG_MAX). */
    public record Range(long start, OptionalLong end, long size) {
        /** system_ram &gt;= start &amp;&amp; system_ram &lt; end, unsigned like the kernel's unsigned long long. */
        public boolean matches(long systemRam) {
            return Long.compareUnsigned(systemRam, start) >= 0
                    && (end.isEmpty() || Long.compareUnsigned(systemRam, end.getAsLong()) < 0);
        }
    }

    private final String text;
    private final Suffix suffix;
    private final List<Range> ranges;
    private final long simpleSize;
    private final OptionalLong offset;

    private CrashKernelParam(String text, Suffix suffix, List<Range> ranges, long simpleSize, OptionalLong offset) {
        this.text = text;
        this.suffix = suffix;
        this.ranges = ImmutableList.copyOf(ranges);
        this.simpleSize = simpleSize;
        this.offset = offset;
    }

    /** Parses the value after "crashkernel="; the form follows from a ",high"/",low" ending or a ':'. */
    public static CrashKernelParam parse(String value) {
        return new Parser(value).parse();
    }

    /**
     * The crashkernel= that get_last_crashkernel() would pick: the last one whose value ends with
     * the suffix ({@link Suffix#NONE}: the last one ending in neither ",high" nor ",low").
     */
    public static Optional<CrashKernelParam> fromCommandLine(KernelCommandLine commandLine, Suffix suffix) {
        CrashKernelParam chosen = null;
        for (KernelParam param : commandLine.occurrences("crashkernel")) {
            if (param.value().isPresent() && suffixOf(param.value().get()) == suffix) {
                chosen = parse(param.value().get());
            }
        }
        return Optional.ofNullable(chosen);
    }

    /**
     * The reservation for a machine with {@code systemRam} bytes of System RAM
     * (memblock_phys_mem_size() on x86); empty when no range matches or the size is 0.
     *
     * @throws KernelParamException "crashkernel: invalid size" when a range examined before the
     *     match (or the match itself) asks for at least all of System RAM, as parse_crashkernel_mem does
     */
    public Optional<CrashKernelReservation> select(long systemRam) {
        if (!isRangeForm()) {
            return simpleSize == 0 ? Optional.empty()
                    : Optional.of(new CrashKernelReservation(simpleSize, offset, suffix));
        }
        for (Range range : ranges) {
            if (Long.compareUnsigned(range.size(), systemRam) >= 0) {
                throw new KernelParamException("crashkernel: invalid size " + range.size() + " for "
                        + systemRam + " bytes of System RAM in \"" + text + "\"", "crashkernel", text);
            }
            if (range.matches(systemRam)) {
                return range.size() == 0 ? Optional.empty()
                        : Optional.of(new CrashKernelReservation(range.size(), offset, suffix));
            }
        }
        return Optional.empty();
    }

    public boolean isRangeForm() {
        return !ranges.isEmpty();
    }

    public Suffix suffix() {
        return suffix;
    }

    /** The ranges of the by-memory form, in order; empty for the other forms. */
    public List<Range> ranges() {
        return ranges;
    }

    /** The {@code @offset} when one was given. */
    public OptionalLong offset() {
        return offset;
    }

    /** The value as written on the command line. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return "crashkernel=" + text;
    }

    private static Suffix suffixOf(String value) {
        if (value.endsWith(Suffix.HIGH.text())) {
            return Suffix.HIGH;
        }
        if (value.endsWith(Suffix.LOW.text())) {
            return Suffix.LOW;
        }
        return Suffix.NONE;
    }

    /** The three parse_crashkernel_*() functions over one value, with a cursor for error offsets. */
    private static final class Parser {
        private final String text;
        private int cursor;

        Parser(String text) {
            this.text = text;
        }

        CrashKernelParam parse() {
            Suffix suffix = suffixOf(text);
            if (suffix != Suffix.NONE) {
                return parseSuffixed(suffix);
            }
            int colon = text.indexOf(':');
            int space = text.indexOf(' ');
            if (colon >= 0 && (space < 0 || colon < space)) {
                return parseRanges();
            }
            return parseSimple();
        }

        /** parse_crashkernel_suffix(). */
        private CrashKernelParam parseSuffixed(Suffix suffix) {
            long size = memory("crashkernel: memory value expected");
            if (!text.startsWith(suffix.text(), cursor)) {
                throw unrecognizedChar();
            }
            cursor += suffix.text().length();
            requireEnd();
            return new CrashKernelParam(text, suffix, List.of(), size, OptionalLong.empty());
        }

        /** parse_crashkernel_simple(). */
        private CrashKernelParam parseSimple() {
            long size = memory("crashkernel: memory value expected");
            OptionalLong offset = optionalOffset();
            requireEnd();
            return new CrashKernelParam(text, Suffix.NONE, List.of(), size, offset);
        }

        /** parse_crashkernel_mem(), checking every entry instead of stopping at the match. */
        private CrashKernelParam parseRanges() {
            List<Range> ranges = new ArrayList<>();
            while (true) {
                long start = memory("crashkernel: Memory value expected");
                expect('-', "crashkernel: '-' expected");
                OptionalLong end = OptionalLong.empty();
                if (peek() != ':') {
                    int endAt = cursor;
                    long endValue = memory("crashkernel: Memory value expected");
                    if (Long.compareUnsigned(endValue, start) <= 0) {
                        throw error("crashkernel: end <= start", endAt);
                    }
                    end = OptionalLong.of(endValue);
                }
                expect(':', "crashkernel: ':' expected");
                long size = memory("Memory value expected");
                ranges.add(new Range(start, end, size));
                if (peek() != ',') {
                    break;
                }
                cursor++;
            }
            OptionalLong offset = optionalOffset();
            requireEnd();
            return new CrashKernelParam(text, Suffix.NONE, ranges, 0, offset);
        }

        private OptionalLong optionalOffset() {
            if (peek() != '@') {
                return OptionalLong.empty();
            }
            cursor++;
            return OptionalLong.of(memory("Memory value expected after '@'"));
        }

        private long memory(String missingMessage) {
            int at = cursor;
            Memparse.Result result = Memparse.memparse(text, cursor);
            if (result.consumedNothing(cursor)) {
                throw error(missingMessage, at);
            }
            if (result.overflow()) {
                throw error("crashkernel: value does not fit 64 bits", at);
            }
            cursor = result.end();
            return result.value();
        }

        private void expect(char wanted, String message) {
            if (peek() != wanted) {
                throw error(message, cursor);
            }
            cursor++;
        }

        private void requireEnd() {
            if (cursor < text.length()) {
                throw unrecognizedChar();
            }
        }

        private KernelParamException unrecognizedChar() {
            return error("crashkernel: unrecognized char: " + peek(), cursor);
        }

        private char peek() {
            return cursor < text.length() ? text.charAt(cursor) : '\0';
        }

        private KernelParamException error(String kernelWords, int at) {
            return new KernelParamException(kernelWords + " at offset " + at + " of \"" + text + "\"",
                    "crashkernel", text, at);
        }
    }
}
