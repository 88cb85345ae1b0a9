package dev.amocrmsync.scan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.amocrmsync.mirror.WindowProgress;

/**
 * How much of an entity's scan is read, in amoCRM time: the seconds its windows have passed against the seconds of
 * its plans. A window has read {@code [from, cursorSecond)}, all of its range once done. Windows split while they run
 * (the old one's end moves down as a new one takes the rest), so what is read is the union of the windows' read parts,
 * never their sum; a plan's windows are all done before the next plan's, which number theirs from 1 again.
 * <p>
 * Seconds are not items (accounts get busier over time), so the fraction is an estimate of the work, not a count.
 * Thread-safe: pages of an entity's windows commit one at a time, but the status reads from another thread.
 */
public final class Coverage {

    private final List<long[]> ranges = new ArrayList<>();
    private final List<long[]> finished = new ArrayList<>();
    private final Map<Integer, WindowProgress> live = new HashMap<>();

    /** The plans' ranges ({@code [from, to]}, unix seconds, inclusive), and the windows saved of the first. */
    public static Coverage of(List<Plan> plans) {
        Coverage coverage = new Coverage();
        for (Plan plan : plans) {
            coverage.range(plan.from(), plan.to());
        }
        if (!plans.isEmpty()) {
            plans.get(0).resumedWindows().forEach(coverage::advanced);
        }
        return coverage;
    }

    /** A saved plan: its range and its windows as {@code sync_windows} holds them. */
    public static Coverage of(long from, long to, List<WindowProgress> windows) {
        Coverage coverage = new Coverage();
        coverage.range(from, to);
        windows.forEach(coverage::advanced);
        return coverage;
    }

    private void range(long from, long to) {
        if (from <= to) {
            ranges.add(new long[] { from, to + 1 });
        }
    }

    /** A window's progress after one of its pages. */
    public synchronized void advanced(WindowProgress window) {
        if (window.done()) {
            live.remove(window.number());
            finished.add(new long[] { window.from(), window.to() + 1 });
        } else {
            live.put(window.number(), window);
        }
    }

    /** The seconds of the plans' ranges. */
    public synchronized long total() {
        return measure(merged(ranges));
    }

    /** The seconds of the ranges read so far. */
    public synchronized long read() {
        List<long[]> read = new ArrayList<>(finished);
        live.values().forEach(window -> read.add(new long[] { window.from(), window.cursorSecond() }));
        return overlap(merged(ranges), merged(read));
    }

    /** Between 0 and 1; 1 for nothing to read. */
    public double fraction() {
        long total = total();
        return total == 0 ? 1.0 : Math.min(1.0, (double) read() / total);
    }

    private static List<long[]> merged(List<long[]> intervals) {
        List<long[]> sorted = intervals.stream().filter(i -> i[1] > i[0])
                .sorted(Comparator.comparingLong(i -> i[0])).toList();
        List<long[]> merged = new ArrayList<>();
        for (long[] interval : sorted) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && interval[0] <= last[1]) {
                last[1] = Math.max(last[1], interval[1]);
            } else {
                merged.add(new long[] { interval[0], interval[1] });
            }
        }
        return merged;
    }

    private static long measure(List<long[]> merged) {
        return merged.stream().mapToLong(i -> i[1] - i[0]).sum();
    }

    private static long overlap(List<long[]> a, List<long[]> b) {
        long sum = 0;
        for (long[] x : a) {
            for (long[] y : b) {
                sum += Math.max(0, Math.min(x[1], y[1]) - Math.max(x[0], y[0]));
            }
        }
        return sum;
    }
}
