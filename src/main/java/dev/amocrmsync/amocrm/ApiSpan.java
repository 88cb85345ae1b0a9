package dev.amocrmsync.amocrm;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests of one stretch of work (a sync run) and the time they took, from the first request sent to the last
 * answer: the effective rate a run got out of the account, next to the pace it aimed at.
 */
public final class ApiSpan {

    private final AtomicLong requests = new AtomicLong();
    private final Map<String, AtomicLong> byList = new ConcurrentHashMap<>();
    private volatile long firstSentAt;
    private volatile long lastAnsweredAt;

    void sent(long nanoTime, String list) {
        byList.computeIfAbsent(list, name -> new AtomicLong()).incrementAndGet();
        if (requests.getAndIncrement() == 0) {
            firstSentAt = nanoTime;
        }
    }

    void ended(long nanoTime) {
        lastAnsweredAt = Math.max(lastAnsweredAt, nanoTime);
    }

    public long requests() {
        return requests.get();
    }

    /** The requests sent to one list ({@code leads}, {@code leads/notes}, {@code events}, {@code catalogs}, ...). */
    public long requests(String list) {
        AtomicLong sent = byList.get(list);
        return sent == null ? 0 : sent.get();
    }

    /** The requests per list, by name. */
    public Map<String, Long> requestsByList() {
        Map<String, Long> counts = new TreeMap<>();
        byList.forEach((list, sent) -> counts.put(list, sent.get()));
        return counts;
    }

    /** Seconds from the first request sent to the last answer; 0 before an answer. */
    public double seconds() {
        long first = firstSentAt;
        long last = lastAnsweredAt;
        return requests.get() == 0 || last <= first ? 0 : (last - first) / 1e9;
    }

    /** Requests per second over the span; 0 before an answer. */
    public double requestsPerSecond() {
        double seconds = seconds();
        return seconds == 0 ? 0 : requests.get() / seconds;
    }
}
