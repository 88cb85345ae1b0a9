package dev.amocrmsync.sync;

import java.time.Instant;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/** Whether this process is the long-running {@code serve}: scheduled syncs run only there, never in a one-shot sync. */
@Singleton
public class Serving implements Scheduled.SkipPredicate {

    private volatile Instant since;

    public void start() {
        since = Instant.now();
    }

    public boolean serving() {
        return since != null;
    }

    /** When {@code serve} started, if this process is serving. */
    public Optional<Instant> since() {
        return Optional.ofNullable(since);
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return since == null;
    }
}
