package dev.amocrmsync.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What can go wrong at the simulated amoCRM, switched on by tests, the benchmark and the {@code simulate} command:
 * failing every n-th request, 429 storms, a request-rate ceiling, a blocked or unpaid account, truncated or garbage
 * bodies, dropped connections, slow answers, jitter on the way in, and an {@code updated_at} filter that is silently
 * ignored, and a path the account's user may not read.
 */
public final class Faults {

    /** The shapes of a 429: amoCRM's usual HTML page without Retry-After, or the header or JSON forms. */
    public enum Throttle {
        /** {@code text/html}, no Retry-After, no JSON: what amoCRM's limit usually answers. */
        HTML,
        /** problem+json with a {@code Retry-After} header. */
        RETRY_AFTER_HEADER,
        /** problem+json with {@code retry_after} in the body. */
        RETRY_AFTER_JSON
    }

    private final AtomicLong requests = new AtomicLong();
    private volatile int failEveryNth;
    private volatile long failFrom;
    private volatile int failStatus = 503;
    private volatile String failPath;
    private final AtomicLong failPathCountdown = new AtomicLong();
    private final AtomicInteger throttleNext = new AtomicInteger();
    private volatile int retryAfterSeconds = 1;
    private volatile boolean retryAfterAsHeader;
    private volatile SlidingWindow ceiling;
    private volatile Throttle ceilingAnswer = Throttle.HTML;
    private volatile Duration arrivalJitter = Duration.ZERO;
    private volatile int blockedStatus;
    private final AtomicInteger truncateNext = new AtomicInteger();
    private final AtomicInteger garbageNext = new AtomicInteger();
    private final AtomicInteger dropNext = new AtomicInteger();
    private volatile Duration latency = Duration.ZERO;
    private final AtomicInteger slowNext = new AtomicInteger();
    private volatile Duration slowBy = Duration.ZERO;
    private volatile boolean ignoreUpdatedAtFilter;
    private final java.util.Set<String> forbidden = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Back to a healthy account. */
    public void reset() {
        failEveryNth = 0;
        failFrom = 0;
        failStatus = 503;
        failPath = null;
        failPathCountdown.set(0);
        throttleNext.set(0);
        retryAfterSeconds = 1;
        retryAfterAsHeader = false;
        ceiling = null;
        ceilingAnswer = Throttle.HTML;
        arrivalJitter = Duration.ZERO;
        blockedStatus = 0;
        truncateNext.set(0);
        garbageNext.set(0);
        dropNext.set(0);
        latency = Duration.ZERO;
        slowNext.set(0);
        slowBy = Duration.ZERO;
        ignoreUpdatedAtFilter = false;
        forbidden.clear();
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

    /**
     * From the n-th request to {@code path} on (counting from now), every request to that path fails with
     * {@code status}; other paths answer. Pins an outage to one list's pages, whatever else a run reads before it.
     */
    public Faults failPathFrom(String path, long n, int status) {
        this.failPathCountdown.set(n);
        this.failStatus = status;
        this.failPath = path;
        return this;
    }

    /** The next {@code count} requests get 429 with {@code retry_after} in the body, or a Retry-After header. */
    public Faults throttleNext(int count, int retryAfterSeconds, boolean asHeader) {
        this.retryAfterSeconds = retryAfterSeconds;
        this.retryAfterAsHeader = asHeader;
        this.throttleNext.set(count);
        return this;
    }

    /**
     * amoCRM's limit, as strict as amoCRM: at most {@code floor(requestsPerSecond)} requests inside any sliding second,
     * counted when each request arrives. Refused requests count too (the stricter reading: a client that keeps knocking
     * stays refused), so a 429 is never a free retry. Answered as {@link #rateCeilingAnswers} says, HTML by default.
     */
    public Faults rateCeiling(double requestsPerSecond) {
        ceiling = requestsPerSecond <= 0 ? null : new SlidingWindow(Math.max(1, (int) Math.floor(requestsPerSecond)));
        return this;
    }

    /** How the ceiling's 429s look; {@code retryAfterSeconds} is used by the header and JSON forms. */
    public Faults rateCeilingAnswers(Throttle form, int retryAfterSeconds) {
        this.ceilingAnswer = form;
        this.retryAfterSeconds = retryAfterSeconds;
        return this;
    }

    /**
     * Every request reaches the account after a random delay of 0 to {@code 2 * plusMinus}: the network's jitter of
     * ±{@code plusMinus} around its mean, which reorders nothing a client spaces wider but bunches arrivals.
     */
    public Faults arrivalJitter(Duration plusMinus) {
        this.arrivalJitter = plusMinus;
        return this;
    }

    /** Every request answers 403 with an HTML page, as after a block by amoCRM. */
    public Faults block() {
        blockedStatus = 403;
        return this;
    }

    /**
     * Requests to this path ({@code /api/v4/users}) answer 403 problem+json, as amoCRM answers a user without the right
     * to read it (login/password mode acts as a user, who may not be an administrator).
     */
    public Faults forbid(String path) {
        forbidden.add(path);
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

    boolean forbids(String path) {
        return forbidden.contains(path);
    }

    boolean failsRequest(long number, String path) {
        int n = failEveryNth;
        long from = failFrom;
        return (n > 0 && number % n == 0) || (from > 0 && number >= from) || failsPath(path);
    }

    private boolean failsPath(String path) {
        return path.equals(failPath) && failPathCountdown.getAndUpdate(left -> left > 1 ? left - 1 : 1) <= 1;
    }

    int failStatus() {
        return failStatus;
    }

    /**
     * The 429 a request arriving at {@code arrivedNanos} ({@link System#nanoTime()}) earns, or null: a
     * {@link #throttleNext} storm first, then the ceiling.
     */
    Throttle throttle(long arrivedNanos) {
        SlidingWindow window = ceiling;
        boolean overCeiling = window != null && !window.admit(arrivedNanos);
        if (takeOne(throttleNext)) {
            return retryAfterAsHeader ? Throttle.RETRY_AFTER_HEADER : Throttle.RETRY_AFTER_JSON;
        }
        return overCeiling ? ceilingAnswer : null;
    }

    /** Milliseconds this request spends on the way in. */
    long arrivalDelayMillis() {
        long plusMinus = arrivalJitter.toMillis();
        return plusMinus <= 0 ? 0 : ThreadLocalRandom.current().nextLong(2 * plusMinus + 1);
    }

    int retryAfterSeconds() {
        return retryAfterSeconds;
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

    /** Arrival times of the last second; a request is refused when the limit already arrived within it. */
    private static final class SlidingWindow {
        private static final long SECOND = 1_000_000_000L;
        private final int limit;
        private final ArrayDeque<Long> arrivals = new ArrayDeque<>();

        SlidingWindow(int limit) {
            this.limit = limit;
        }

        synchronized boolean admit(long now) {
            while (!arrivals.isEmpty() && now - arrivals.peekFirst() >= SECOND) {
                arrivals.pollFirst();
            }
            boolean admitted = arrivals.size() < limit;
            arrivals.addLast(now);
            return admitted;
        }
    }
}
