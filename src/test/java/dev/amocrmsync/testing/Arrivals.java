package dev.amocrmsync.testing;

import java.util.List;

import dev.amocrmsync.simulator.Stats;

/** What a strict amoCRM would say of a timeline of arrivals at the simulator. */
public final class Arrivals {

    private Arrivals() {
    }

    /** The most requests that arrived within any sliding second, refused ones included. */
    public static int busiestSecond(List<Stats.Request> timeline) {
        List<Long> at = timeline.stream().map(Stats.Request::at).sorted().toList();
        int busiest = 0;
        for (int last = 0, first = 0; last < at.size(); last++) {
            while (at.get(last) - at.get(first) >= 1000) {
                first++;
            }
            busiest = Math.max(busiest, last - first + 1);
        }
        return busiest;
    }

    /** Requests per second from the first arrival to the last. */
    public static double rate(List<Stats.Request> timeline) {
        List<Long> at = timeline.stream().map(Stats.Request::at).sorted().toList();
        return at.size() < 2 ? 0 : (at.size() - 1) * 1000.0 / (at.get(at.size() - 1) - at.get(0));
    }
}
