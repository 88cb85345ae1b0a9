package dev.amocrmsync.testing;

import java.util.List;

import dev.amocrmsync.simulator.Stats;

/** What a strict amoCRM would say of a timeline of arrivals at the simulator. */
public final class Arrivals {

    private static final long SECOND = 1_000_000_000L;

    private Arrivals() {
    }

    /** The most requests that arrived within any sliding second, refused ones included. */
    public static int busiestSecond(List<Stats.Request> timeline) {
        List<Long> at = timeline.stream().map(Stats.Request::nanos).sorted().toList();
        int busiest = 0;
        for (int last = 0, first = 0; last < at.size(); last++) {
            while (at.get(last) - at.get(first) >= SECOND) {
                first++;
            }
            busiest = Math.max(busiest, last - first + 1);
        }
        return busiest;
    }

    /** The least time any eight consecutive arrivals spanned, in milliseconds; infinite for fewer than eight. */
    public static double tightestEightMillis(List<Stats.Request> timeline) {
        List<Long> at = timeline.stream().map(Stats.Request::nanos).sorted().toList();
        long tightest = Long.MAX_VALUE;
        for (int i = 0; i + 7 < at.size(); i++) {
            tightest = Math.min(tightest, at.get(i + 7) - at.get(i));
        }
        return tightest == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : tightest / 1e6;
    }

    /** Requests per second from the first arrival to the last. */
    public static double rate(List<Stats.Request> timeline) {
        List<Long> at = timeline.stream().map(Stats.Request::nanos).sorted().toList();
        return at.size() < 2 ? 0 : (at.size() - 1) * 1e9 / (at.get(at.size() - 1) - at.get(0));
    }
}
