package dev.amocrmsync.simulator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * What can go wrong at the simulated amoCRM, switched on by tests, the benchmark and the {@code simulate} command:
 * failing every n-th request, 429 storms, a request-rate ceiling, a blocked or unpaid account, truncated or garbage
 * bodies, dropped connections, slow answers, and an {@code updated_at} filter that is silently ignored.
 */
public final class Faults {

    private final AtomicLong requests = new AtomicLong();
    private volatile int failEveryNth;
    private volatile long failFrom;
    private volatile int failStatus = 503;
    private final AtomicInteger throttleNext = new AtomicInteger();
    private volatile int retryAfterSeconds = 1;
    private volatile boolean retryAfterAsHeader;
    private volatile Bucket ceiling;
    private volatile int blockedStatus;
    private final AtomicInteger truncateNext = new AtomicInteger();
    private final AtomicInteger garbageNext = new AtomicInteger();
    private final AtomicInteger dropNext = new AtomicInteger();
    private volatile Duration latency = Duration.ZERO;
    private final AtomicInteger slowNext = new AtomicInteger();
    private volatile Duration slowBy = Duration.ZERO;
    private volatile boolean ignoreUpdatedAtFilter;

    /** Back to a healthy account. */
    public void reset() {
        failEveryNth = 0;
        failFrom = 0;
        failStatus = 503;
        throttleNext.set(0);
        retryAfterSeconds = 1;
        retryAfterAsHeader = false;
        ceiling = null;
        blockedStatus = 0;
        truncateNext.set(0);
        garbageNext.set(0);
        dropNext.set(0);
        latency = Duration.ZERO;
        slowNext.set(0);
        slowBy = Duration.ZERO;
        ignoreUpdatedAtFilter = false;
    }

    /** Every n-th API request fails with {@code status} (503, 500, 504...); 0 turns it off. */
    public Faults failEvery(int n, int status) {
        this.failEveryNth = n;
        this.failStatus = status;
        return this;
    }

    /** From the n-th API request on (counting from now), every request fails with {@code status}: an outage. */
    public Faults failFrom(long n, int status) {
        this.failFrom = requests.get() + n;
        this.failStatus = status;
        return this;
    }

    /** The next {@code count} requests get 429 with {@code retry_after} in the body, or a Retry-After header. */
    public Faults throttleNext(int count, int retryAfterSeconds, boolean asHeader) {
        this.retryAfterSeconds = retryAfterSeconds;
        this.retryAfterAsHeader = asHeader;
        this.throttleNext.set(count);
        return this;
    }

    /** At most {@code requestsPerSecond} (burst of as many) are served; the rest get 429, as amoCRM's limit does. */
    public Faults rateCeiling(double requestsPerSecond) {
        if (requestsPerSecond <= 0) {
            ceiling = null;
        } else {
            long capacity = Math.max(1, (long) Math.floor(requestsPerSecond));
            ceiling = Bucket.builder().addLimit(Bandwidth.builder().capacity(capacity)
                    .refillGreedy(capacity, Duration.ofNanos((long) (capacity * 1e9 / requestsPerSecond))).build()).build();
        }
        return this;
    }

    /** Every request answers 403 with an HTML page, as after a block by amoCRM. */
    public Faults block() {
        blockedStatus = 403;
        return this;
    }

    /** Every request answers 402: the account is unpaid. */
    public Faults unpaid() {
        blockedStatus = 402;
        return this;
    }

    /** The next {@code count} API answers are cut in the middle of the JSON, with a matching Content-Length. */
    public Faults truncateNext(int count) {
        truncateNext.set(count);
        return this;
    }

    /** The next {@code count} API answers are 200 with an HTML body instead of JSON. */
    public Faults garbageNext(int count) {
        garbageNext.set(count);
        return this;
    }

    /** The next {@code count} API answers close the connection halfway through the body. */
    public Faults dropNext(int count) {
        dropNext.set(count);
        return this;
    }

    /** Every answer waits this long first. */
    public Faults latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    /** The next {@code count} answers wait {@code by} longer, to run past a client's read timeout. */
    public Faults slowNext(int count, Duration by) {
        this.slowBy = by;
        this.slowNext.set(count);
        return this;
    }

    /** Answers leads queries as if {@code filter[updated_at]} had not been sent, as some accounts reportedly do. */
    public Faults ignoreUpdatedAtFilter(boolean ignore) {
        this.ignoreUpdatedAtFilter = ignore;
        return this;
    }

    // ---- read by the server, once per API request

    long nextRequestNumber() {
        return requests.incrementAndGet();
    }

    int blockedStatus() {
        return blockedStatus;
    }

    boolean failsRequest(long number) {
        int n = failEveryNth;
        long from = failFrom;
        return (n > 0 && number % n == 0) || (from > 0 && number >= from);
    }

    int failStatus() {
        return failStatus;
    }

    boolean takeThrottle() {
        return takeOne(throttleNext);
    }

    boolean overCeiling() {
        Bucket bucket = ceiling;
        return bucket != null && !bucket.tryConsume(1);
    }

    int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    boolean retryAfterAsHeader() {
        return retryAfterAsHeader;
    }

    boolean takeTruncate() {
        return takeOne(truncateNext);
    }

    boolean takeGarbage() {
        return takeOne(garbageNext);
    }

    boolean takeDrop() {
        return takeOne(dropNext);
    }

    Duration delayFor() {
        return takeOne(slowNext) ? latency.plus(slowBy) : latency;
    }

    boolean ignoresUpdatedAtFilter() {
        return ignoreUpdatedAtFilter;
    }

    private static boolean takeOne(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}
