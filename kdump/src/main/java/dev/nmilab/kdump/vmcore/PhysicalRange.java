package dev.nmilab.kdump.vmcore;

import dev.nmilab.memory.PhysicalMemory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A page-aligned physical range [start, end). */
public record PhysicalRange(long start, long end) {
    public long size() {
        return end - start;
    }

    /**
     * The runs of touched pages ({@link PhysicalMemory#touchedPages()}: bit 0 of one byte per
     * 4 KiB page), adjacent pages merged. When there are more than {@code maxRuns}, the runs
     * across the smallest gaps are joined (their untouched pages then get written as zeros), so
     * the count fits an ELF e_phnum.
     */
    public static List<PhysicalRange> touched(byte[] residency, int maxRuns) {
        if (maxRuns < 1) {
            throw new IllegalArgumentException("at least one run must be allowed, got " + maxRuns);
        }
        List<PhysicalRange> runs = new ArrayList<>();
        int page = 0;
        while (page < residency.length) {
            if ((residency[page] & 1) == 0) {
                page++;
                continue;
            }
            int first = page;
            while (page < residency.length && (residency[page] & 1) != 0) {
                page++;
            }
            runs.add(new PhysicalRange(first * PhysicalMemory.PAGE_SIZE, page * PhysicalMemory.PAGE_SIZE));
        }
        return runs.size() <= maxRuns ? runs : joinSmallestGaps(runs, maxRuns);
    }

    private static List<PhysicalRange> joinSmallestGaps(List<PhysicalRange> runs, int maxRuns) {
        long[] gaps = new long[runs.size() - 1];
        for (int i = 0; i < gaps.length; i++) {
            gaps[i] = runs.get(i + 1).start - runs.get(i).end;
        }
        long[] sorted = gaps.clone();
        Arrays.sort(sorted);
        long joinUpTo = sorted[runs.size() - maxRuns - 1];
        List<PhysicalRange> joined = new ArrayList<>();
        PhysicalRange current = runs.getFirst();
        for (int i = 1; i < runs.size(); i++) {
            if (gaps[i - 1] <= joinUpTo) {
                current = new PhysicalRange(current.start, runs.get(i).end);
            } else {
                joined.add(current);
                current = runs.get(i);
            }
        }
        joined.add(current);
        return joined;
    }
}
