package dev.amocrmsync.webhook;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import dev.amocrmsync.sync.Serving;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/**
 * Whether received events wait to be applied; the processor's ticks are skipped when none do. Counted in generations,
 * so an event received while a round runs is never mistaken for one that round already saw. Another replica may
 * store events this one never hears of (and crash before applying them), so the table is looked at now and then
 * anyway. After a failed round (amoCRM or the session service not reachable yet) the next waits longer, up to a minute.
 */
@Singleton
public class WebhookBacklog implements Scheduled.SkipPredicate {

    private static final Duration LOOK_ANYWAY_EVERY = Duration.ofSeconds(30);
    private static final Duration MOST_BACK_OFF = Duration.ofMinutes(1);

    // 1 at start: events received before a restart are applied too
    private final AtomicLong received = new AtomicLong(1);
    private final AtomicLong drained = new AtomicLong();
    private final Serving serving;
    private volatile long drainedAt = System.nanoTime();
    private volatile long failures;
    private volatile long retryAt = System.nanoTime();

    WebhookBacklog(Serving serving) {
        this.serving = serving;
    }

    void received() {
        received.incrementAndGet();
    }

    /** Taken before reading the pending events. */
    long mark() {
        return received.get();
    }

    /** Every event received up to {@code mark} is applied (or claimed by another replica). */
    void drained(long mark) {
        drained.accumulateAndGet(mark, Math::max);
        drainedAt = System.nanoTime();
        failures = 0;
    }

    /** A round failed; returns how long until the next. */
    Duration failed() {
        failures++;
        Duration wait = Duration.ofSeconds(1L << Math.min(failures - 1, 6));
        wait = wait.compareTo(MOST_BACK_OFF) > 0 ? MOST_BACK_OFF : wait;
        retryAt = System.nanoTime() + wait.toNanos();
        return wait;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        long now = System.nanoTime();
        if (!serving.serving() || now - retryAt < 0) {
            return true;
        }
        return received.get() <= drained.get() && now - drainedAt < LOOK_ANYWAY_EVERY.toNanos();
    }
}
