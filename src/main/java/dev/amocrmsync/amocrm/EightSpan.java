package dev.amocrmsync.amocrm;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * amoCRM refuses the eighth request inside any sliding second. Evenly spaced slots keep eight requests seven intervals
 * apart only while every timer fires on time; one that fires late (a busy event loop, a slow database answer for the
 * slot) brings its request closer to the seven that follow. This holds the pace over every eight consecutive requests
 * of the process instead: a request leaves no sooner than seven intervals at the configured pace after the seventh
 * request before it. At the default 6 requests/s that is 1.17 s, a second plus the ±25 ms of arrival jitter of two
 * requests plus 117 ms for the way out, whatever the timers did; a late timer delays one request by its lateness instead of
 * pushing every later one back. (6.5/s left 27 ms for the way out: a request that opened a new connection on a loaded
 * machine arrived 60 ms later than its dispatch, relative to the eighth, and earned a 429 in PacedRequestsTest.)
 * Dispatch times are read under the lock, so the ring stays in order.
 */
final class EightSpan {

    /** amoCRM's ceiling per sliding second: the eighth request is the one to keep away. */
    private static final int PER_SECOND = 7;

    private final long spanNanos;
    private final LongSupplier clock;
    // dispatch times (System.nanoTime) of the latest seven requests, a ring in dispatch order
    private final long[] latest = new long[PER_SECOND];
    private int oldest;

    EightSpan(double requestsPerSecond) {
        this(requestsPerSecond, System::nanoTime);
    }

    /** On a clock of nanoseconds of its own, for tests. */
    EightSpan(double requestsPerSecond, LongSupplier clock) {
        this.spanNanos = (long) (PER_SECOND * TimeUnit.SECONDS.toNanos(1) / requestsPerSecond);
        this.clock = clock;
        long past = clock.getAsLong() - TimeUnit.SECONDS.toNanos(10);
        Arrays.fill(latest, past);
    }

    /**
     * Zero when a request may leave now, which is then taken as its dispatch time; otherwise how long to wait
     * before asking again (nothing is taken, so a timer that fires late cannot make the recorded time earlier than the
     * real one).
     */
    synchronized Duration take() {
        long now = clock.getAsLong();
        long free = latest[oldest] + spanNanos;
        if (now < free) {
            return Duration.ofNanos(free - now);
        }
        latest[oldest] = now;
        oldest = (oldest + 1) % PER_SECOND;
        return Duration.ZERO;
    }
}
