package dev.amocrmsync.sync;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a run ended and what it did, in all and per entity ({@code entities}, in the order read). Failures are
 * exceptions, not reports.
 */
public record SyncReport(Outcome outcome, Long runId, int pages, long processed, long inserted, long updated,
        long deleted, long restored, long quarantined, long requests, double requestsPerSecond, Duration took,
        String note, List<EntityReport> entities, Map<String, Long> requestsByList) {

    /** What a run did to one entity's table. */
    public record EntityReport(String entity, int pages, long processed, long inserted, long updated, long deleted,
            long restored, long quarantined, long requests) {

        public String summary() {
            return String.format("%s: processed %d, new %d, updated %d, deleted %d, restored %d, quarantined %d",
                    entity, processed, inserted, updated, deleted, restored, quarantined);
        }
    }

    public enum Outcome {
        /** The database equals amoCRM up to the run's upper bound. */
        SUCCEEDED,
        /** As SUCCEEDED, except for leads set aside in {@code sync_quarantine}. */
        QUARANTINED,
        /** Another run holds the lock; this one wrote nothing. */
        ALREADY_RUNNING,
        /** The lock has been held longer than a run can take: a stuck session blocks every sync. Nothing written. */
        LOCK_STUCK,
        /** Nothing was written, by request. */
        DRY_RUN
    }

    public long unchanged() {
        return Math.max(0, processed - inserted - updated - quarantined);
    }

    static SyncReport alreadyRunning(String holder) {
        return new SyncReport(Outcome.ALREADY_RUNNING, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO,
                "Another sync is running (" + holder + "); this one exits without writing", List.of(), Map.of());
    }

    static SyncReport lockStuck(String holder, Duration heldFor, int pid) {
        return new SyncReport(Outcome.LOCK_STUCK, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO,
                "The run lock has been held for " + (heldFor.toMinutes() > 0 ? heldFor.toMinutes() + " minutes"
                        : heldFor.toSeconds() + " seconds") + ", longer than a sync can take ("
                        + holder + "), and every sync waits for it. If no amocrm-sync is running, end that session:"
                        + " SELECT pg_terminate_backend(" + pid + ");",
                List.of(), Map.of());
    }

    /** Where the requests went: {@code leads 80, contacts 120, events 2, ...}, per list asked. */
    public String requestsSummary() {
        return requestsByList.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** The closing line, like the original script's totals; per entity when more than leads were read. */
    public String summary() {
        String perEntity = entities.size() < 2 ? ""
                : " — " + entities.stream().map(EntityReport::summary).collect(Collectors.joining("; "));
        return String.format("processed %d, new %d, updated %d, unchanged %d, deleted %d, restored %d, quarantined %d"
                + " (%d pages, %d requests, %.1f s, %.2f requests/s)", processed, inserted, updated, unchanged(), deleted,
                restored, quarantined, pages, requests, took.toMillis() / 1000.0, requestsPerSecond) + perEntity;
    }

}
