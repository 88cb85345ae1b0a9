package dev.amocrmsync.webhook;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import dev.amocrmsync.sync.Serving;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/**
 * Whether received events wait to be applied; the processor's ticks are skipped when none do. Counted in generations,
 * so an event received while a round runs is never mistaken for one that round already saw.
 */
@Singleton
public class WebhookBacklog implements Scheduled.SkipPredicate {

    // 1 at start: events received before a restart are applied too
    private final AtomicLong received = new AtomicLong(1);
    private final AtomicLong drained = new AtomicLong();
    private final Serving serving;

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

    /** Every event received up to {@code mark} is applied. */
    void drained(long mark) {
        drained.accumulateAndGet(mark, Math::max);
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return !serving.serving() || received.get() <= drained.get();
    }
}
