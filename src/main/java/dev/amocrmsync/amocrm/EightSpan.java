package dev.amocrmsync.amocrm;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * amoCRM refuses the eighth request inside any sliding second, counted when each arrives. This keeps any eight requests
 * of the process seven intervals at the configured pace apart where it can see them: on the wire. A request let go is
 * not yet sent: it may wait for its connection's event loop (parsing an answer, committing a page), for a connection to
 * be opened after an idle spell, for a garbage collection. Measured at release, a request held up on its way out landed
 * beside the ones released after it (issue 21: pairs 0.1–4.5 ms apart at amoCRM). So each request counts from when its
 * connection wrote it ({@link #departed()}); until then it counts as leaving at every moment, and a request held up on
 * its way pushes the next ones back instead of landing beside them. A request may leave when fewer than seven
 * requests left within the last seven intervals or are still on their way; at the default 6/s that is 1.17 s, a second
 * plus the ±25 ms of arrival jitter of two requests plus what happens after the socket.
 * <p>
 * Which of the requests on their way was written does not matter, only how many are still to go, so departures are not
 * matched to requests. A request that never reaches the wire (its connection could not be opened) stops counting after
 * {@code onTheWayAtMost}.
 */
final class EightSpan {

    /** amoCRM's ceiling per sliding second: the eighth request is the one to keep away. */
    private static final int PER_SECOND = 7;
    /** How often to look again while seven requests are on their way at once. */
    private static final Duration ON_THE_WAY_POLL = Duration.ofMillis(5);

    private final long spanNanos;
    private final long onTheWayNanos;
    private final LongSupplier clock;
    // when each of the latest seven requests went on the wire (System.nanoTime), ascending
    private final long[] left = new long[PER_SECOND];
    // when each request still on its way was let go, oldest first
    private final ArrayDeque<Long> onTheWay = new ArrayDeque<>();

    EightSpan(double requestsPerSecond, Duration onTheWayAtMost) {
        this(requestsPerSecond, onTheWayAtMost, System::nanoTime);
    }

    /** On a clock of nanoseconds of its own, for tests. */
    EightSpan(double requestsPerSecond, Duration onTheWayAtMost, LongSupplier clock) {
        this.spanNanos = (long) (PER_SECOND * TimeUnit.SECONDS.toNanos(1) / requestsPerSecond);
        this.onTheWayNanos = onTheWayAtMost.toNanos();
        this.clock = clock;
        Arrays.fill(left, clock.getAsLong() - TimeUnit.SECONDS.toNanos(10));
    }

    /**
     * Zero when a request may go now; otherwise how long to wait before asking again (nothing is taken, so a timer that
     * fires late cannot make the recorded time earlier than the real one). A request that {@code reportsDeparture}
     * counts as leaving at every moment until {@link #departed()}; one that does not is taken as sent now.
     */
    synchronized Duration take(boolean reportsDeparture) {
        long now = clock.getAsLong();
        while (!onTheWay.isEmpty() && now - onTheWay.peekFirst() > onTheWayNanos) {
            onTheWay.pollFirst();
        }
        int going = onTheWay.size();
        if (going >= PER_SECOND) {
            return ON_THE_WAY_POLL;
        }
        // the requests still on their way count as leaving now: of the latest seven sent, the (going + 1)-th oldest
        // must already be a span ago
        long free = left[going] + spanNanos;
        if (now < free) {
            return Duration.ofNanos(free - now);
        }
        if (reportsDeparture) {
            onTheWay.addLast(now);
        } else {
            record(now);
        }
        return Duration.ZERO;
    }

    /**
     * A request let go by {@link #take(boolean) take(true)} was written to its connection just now. Returns how long
     * the oldest request on its way had been (the one written, as a rule), in nanoseconds; -1 if none was.
     */
    synchronized long departed() {
        long now = clock.getAsLong();
        Long letGo = onTheWay.pollFirst();
        record(now);
        return letGo == null ? -1 : now - letGo;
    }

    private void record(long at) {
        if (at < left[0]) {
            return; // older than the latest seven
        }
        // drop the oldest, insert in order (writes on several event loops can come a little out of order)
        int i = 0;
        while (i + 1 < PER_SECOND && left[i + 1] <= at) {
            left[i] = left[i + 1];
            i++;
        }
        left[i] = at;
    }
}
