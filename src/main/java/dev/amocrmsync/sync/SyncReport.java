package dev.amocrmsync.sync;

import java.time.Duration;

/** How a run ended and what it did. Failures are exceptions, not reports. */
public record SyncReport(Outcome outcome, Long runId, int pages, long processed, long inserted, long updated,
        long deleted, long restored, long quarantined, long requests, double requestsPerSecond, Duration took,
        String note) {

    public enum Outcome {
        /** The database equals amoCRM up to the run's upper bound. */
        SUCCEEDED,
        /** As SUCCEEDED, except for leads set aside in {@code sync_quarantine}. */
        QUARANTINED,
        /** Another run holds the lock; this one wrote nothing. */
        ALREADY_RUNNING,
        /** Nothing was written, by request. */
        DRY_RUN
    }

    public long unchanged() {
        return Math.max(0, processed - inserted - updated - quarantined);
    }

    static SyncReport alreadyRunning(String holder) {
        return new SyncReport(Outcome.ALREADY_RUNNING, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO,
                "Another sync is running (" + holder + "); this one exits without writing");
    }

    /** The closing line, like the original script's totals. */
    public String summary() {
        return String.format("processed %d, new %d, updated %d, unchanged %d, deleted %d, restored %d, quarantined %d"
                + " (%d pages, %d requests, %.1f s, %.2f requests/s)", processed, inserted, updated, unchanged(), deleted,
                restored, quarantined, pages, requests, took.toMillis() / 1000.0, requestsPerSecond);
    }
}
