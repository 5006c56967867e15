package dev.nmilab.kernel.bitmap;

import dev.nmilab.kernel.Errno;
import dev.nmilab.kernel.KernelParamException;
import dev.nmilab.kernel.lib.Ctype;
import dev.nmilab.kernel.lib.Kstrtox;
import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * An immutable set of bit numbers below {@code nbits}, read from and written to the list format
 * of lib/bitmap.c (Linux 6.1): bitmap_parselist() for input ("0,13,16", "10-100",
 * "0-1023:2/256", "N" for the last bit) and the "%*pbl" list printer of lib/vsprintf.c for output.
 * This is what cpu lists on the command line (isolcpus=, nohz_full=, rcu_nocbs=) and in sysfs use.
 */
public final class BitmapList {
    private final BitSet bits;
    private final int nbits;

    private BitmapList(BitSet bits, int nbits) {
        this.bits = bits;
        this.nbits = nbits;
    }

    /** The empty set over {@code nbits} bits. */
    public static BitmapList empty(int nbits) {
        requirePositive(nbits);
        return new BitmapList(new BitSet(nbits), nbits);
    }

    /** A set holding exactly {@code members}, each below {@code nbits}. */
    public static BitmapList of(int nbits, int... members) {
        requirePositive(nbits);
        BitSet bits = new BitSet(nbits);
        for (int member : members) {
            if (member < 0 || member >= nbits) {
                throw new IllegalArgumentException("bit " + member + " is outside 0.." + (nbits - 1));
            }
            bits.set(member);
        }
        return new BitmapList(bits, nbits);
    }

    /**
     * bitmap_parselist(): comma- or space-separated regions, each "a", "a-b" or "a-b:used/group"
     * (in every group of {@code group} bits starting at a, the first {@code used} are set).
     * Numbers are decimal or "N" for bit nbits-1. Errors name the errno the kernel returns:
     * -EINVAL for syntax and inverted or empty regions, -ERANGE for bits at or past nbits,
     * -EOVERFLOW for numbers past 32 bits.
     */
    public static BitmapList parse(String list, int nbits) {
        requirePositive(nbits);
        BitSet bits = new BitSet(nbits);
        new Parser(list, nbits, bits).parseAll();
        return new BitmapList(bits, nbits);
    }

    public int nbits() {
        return nbits;
    }

    public boolean contains(int bit) {
        return bit >= 0 && bit < nbits && bits.get(bit);
    }

    /** bitmap_weight(). */
    public int cardinality() {
        return bits.cardinality();
    }

    public boolean isEmpty() {
        return bits.isEmpty();
    }

    /** The members in ascending order. */
    public int[] toArray() {
        return bits.stream().toArray();
    }

    public IntStream stream() {
        return bits.stream();
    }

    /** A copy of the bits; changing it does not change this set. */
    public BitSet toBitSet() {
        return (BitSet) bits.clone();
    }

    /**
     * The "%*pbl" form (bitmap_list_string in lib/vsprintf.c): runs of two or more as "a-b",
     * single bits as "a", comma-separated, "" for the empty set.
     */
    public String format() {
        StringBuilder out = new StringBuilder();
        int start = bits.nextSetBit(0);
        while (start >= 0) {
            int end = bits.nextClearBit(start) - 1;
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(start);
            if (end > start) {
                out.append('-').append(end);
            }
            start = bits.nextSetBit(end + 1);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BitmapList that && nbits == that.nbits && bits.equals(that.bits);
    }

    @Override
    public int hashCode() {
        return 31 * nbits + bits.hashCode();
    }

    @Override
    public String toString() {
        return "BitmapList[" + format() + " of " + nbits + "]";
    }

    private static void requirePositive(int nbits) {
        if (nbits <= 0) {
            throw new IllegalArgumentException("nbits must be positive, was " + nbits);
        }
    }

    /**
     * The region walk of bitmap_parselist(): bitmap_find_region(), bitmap_parse_region(),
     * bitmap_check_region(), bitmap_set_region(), with positions kept for error messages.
     */
    private static final class Parser {
        private final String list;
        private final int nbits;
        private final BitSet bits;
        private int position;
        private int regionStart;

        Parser(String list, int nbits, BitSet bits) {
            this.list = list;
            this.nbits = nbits;
            this.bits = bits;
        }

        /**
         * The loop of bitmap_parselist(). A region without a pattern that ends at a newline ends the
         * list (bitmap_parse_region returns NULL there), while one with a pattern hands back the
         * position after its group length and the next bitmap_find_region() skips the newline as a
         * space: so "3\n7" is {3} but "0-3:1/2\n7" goes on to 7, as in the kernel.
         */
        void parseAll() {
            boolean more = true;
            while (more && findRegion()) {
                more = parseRegion();
            }
        }

        /** bitmap_find_region(): skip commas and spaces; the list ends at the end of text or a newline. */
        private boolean findRegion() {
            while (position < list.length() && isRegionSeparator(list.charAt(position))) {
                position++;
            }
            regionStart = position;
            return !isEndOfString(position);
        }

        /** bitmap_parse_region() and the check and set that follow it; false when the list ends here. */
        private boolean parseRegion() {
            long start = number();
            long end = start;
            long used;
            long groupLength;
            boolean more = true;
            if (!isEndOfRegion(position)) {
                expect('-');
                end = number();
            }
            if (isEndOfRegion(position)) {
                used = end + 1;
                groupLength = end + 1;
                more = !isEndOfString(position);
            } else {
                expect(':');
                used = number();
                expect('/');
                groupLength = number();
            }
            checkRegion(start, end, used, groupLength);
            for (long group = start; group <= end; group += groupLength) {
                int length = (int) Math.min(end - group + 1, used);
                bits.set((int) group, (int) group + length);
            }
            return more;
        }

        /** bitmap_check_region(). */
        private void checkRegion(long start, long end, long used, long groupLength) {
            if (start > end) {
                throw error(Errno.EINVAL, "start " + start + " > end " + end, regionStart);
            }
            if (groupLength == 0) {
                throw error(Errno.EINVAL, "group length 0", regionStart);
            }
            if (used > groupLength) {
                throw error(Errno.EINVAL, "used " + used + " > group length " + groupLength, regionStart);
            }
            if (end >= nbits) {
                throw error(Errno.ERANGE, "bit " + end + " is past the last bit " + (nbits - 1), regionStart);
            }
        }

        /** bitmap_getnum(): "N" is the last bit, otherwise a decimal that must fit 32 bits. */
        private long number() {
            if (position < list.length() && list.charAt(position) == 'N') {
                position++;
                return nbits - 1;
            }
            Kstrtox.ParsedInteger parsed = Kstrtox.parseInteger(list, position, 10);
            if (parsed.digits() == 0) {
                throw error(Errno.EINVAL, "number expected", position);
            }
            if (parsed.overflow() || Long.compareUnsigned(parsed.value(), 0xFFFF_FFFFL) > 0) {
                throw error(Errno.EOVERFLOW, "number does not fit 32 bits", position);
            }
            position += parsed.digits();
            return parsed.value();
        }

        private void expect(char wanted) {
            if (position >= list.length() || list.charAt(position) != wanted) {
                throw error(Errno.EINVAL, "'" + wanted + "' expected", position);
            }
            position++;
        }

        private boolean isEndOfString(int index) {
            return index >= list.length() || list.charAt(index) == '\n';
        }

        private boolean isEndOfRegion(int index) {
            return isEndOfString(index) || isRegionSeparator(list.charAt(index));
        }

        private static boolean isRegionSeparator(char c) {
            return c == ',' || Ctype.isSpace(c);
        }

        private KernelParamException error(Errno errno, String reason, int offset) {
            int regionEnd = regionStart;
            while (!isEndOfRegion(regionEnd)) {
                regionEnd++;
            }
            regionEnd = Math.max(regionEnd, Math.min(offset + 1, list.length()));
            String region = list.substring(regionStart, regionEnd);
            String message = "bitmap_parselist \"" + list + "\": " + reason + " in region \"" + region
                    + "\" at offset " + offset + " (" + errno.asReturn() + ")";
            return new KernelParamException(message, null, region, offset - regionStart);
        }
    }
}
