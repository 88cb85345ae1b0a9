package dev.amocrmsync.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the simulated account saw: the proof in tests that retries, limits and paging happened as claimed. */
public final class Stats {

    /**
     * One answered request; {@code at} in epoch milliseconds, {@code nanos} the same moment on {@link System#nanoTime()}
     * (for spacings finer than a millisecond), {@code stampedLateNanos} how much later than due the simulator itself
     * got to stamping it (its event loop busy, its JVM paused), the query decoded.
     */
    public record Request(long at, int status, String path, String query, long nanos, long stampedLateNanos) {
        @Override
        public String toString() {
            return at + " " + status + " " + path + (query == null ? "" : "?" + query);
        }
    }

    private static final int KEPT = 20_000;

    private final AtomicLong requests = new AtomicLong();
    private final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> byPath = new ConcurrentHashMap<>();
    private final List<Request> recent = new ArrayList<>();

    void record(long arrivedAt, long arrivedNanos, long stampedLateNanos, String path, String query, int status) {
        requests.incrementAndGet();
        byStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        byPath.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
        synchronized (recent) {
            if (recent.size() == KEPT) {
                recent.remove(0);
            }
            recent.add(new Request(arrivedAt, status, path, query, arrivedNanos, stampedLateNanos));
        }
    }

    public long requests() {
        return requests.get();
    }

    public long withStatus(int status) {
        AtomicLong count = byStatus.get(status);
        return count == null ? 0 : count.get();
    }

    public long toPath(String path) {
        AtomicLong count = byPath.get(path);
        return count == null ? 0 : count.get();
    }

    /** The latest requests, oldest first. */
    public List<Request> timeline() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /** The latest requests as {@code "<status> <path>?<query>"}, oldest first. */
    public List<String> recentRequests() {
        return timeline().stream().map(Request::toString).toList();
    }

    public void reset() {
        requests.set(0);
        byStatus.clear();
        byPath.clear();
        synchronized (recent) {
            recent.clear();
        }
    }
}
