package dev.amocrmsync.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.amocrmsync.amocrm.ApiSpan;
import dev.amocrmsync.store.DealRow;
import dev.amocrmsync.store.PageWrite;
import dev.amocrmsync.store.RunCounts;
import dev.amocrmsync.store.RunLock;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * One run's counters and its console story, in the shape of the original script's output: the mode, the last sync as
 * ISO time and unix seconds, a line per page, a line per lead in verbose mode, and the totals.
 */
final class RunProgress {

    private final SyncRequest request;
    private final long started = System.nanoTime();
    private final long requestsBefore;
    private final SyncMetrics metrics;
    private final ApiSpan api;
    private final AtomicInteger pages = new AtomicInteger();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong inserted = new AtomicLong();
    private final AtomicLong updated = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong restored = new AtomicLong();
    private final RunLock.Held lock;
    private volatile Long runId;
    // a full sync's leads read alive, whose deletion flags it cleared: older events must not set them again
    private final Set<Long> seenAlive = ConcurrentHashMap.newKeySet();

    /** {@code lock} is null for a dry run, which writes nothing. */
    RunProgress(SyncRequest request, long requestsBefore, SyncMetrics metrics, RunLock.Held lock, ApiSpan api) {
        this.request = request;
        this.api = api;
        this.requestsBefore = requestsBefore;
        this.metrics = metrics;
        this.lock = lock;
    }

    /** Before a commit: fails when the run lock was lost with its connection, so two runs never write at once. */
    Uni<Void> confirmLock() {
        return lock == null ? Uni.createFrom().voidItem() : lock.confirm();
    }

    void started(Long runId, String access, Planner.Decision decision) {
        this.runId = runId;
        Log.infof("amoCRM sync%s — %s", request.dryRun() ? " (dry run: nothing is written)" : "", access);
        Log.info(decision.lastSync()
                .map(at -> "Last sync: " + Instant.ofEpochSecond(at) + " (unix " + at + ")")
                .orElse("Last sync: never"));
        for (Plan plan : decision.plans()) {
            Log.infof("Reading %s: leads updated %s .. %s%s", decision.plans().indexOf(plan) == 0 ? decision.basis()
                    : "then new changes", Instant.ofEpochSecond(plan.from()), Instant.ofEpochSecond(plan.to()),
                    plan.resumed() ? " (" + plan.resumedWindows().size() + " saved windows)" : "");
        }
    }

    /** The run's row in {@code sync_runs}, once recorded. */
    void identify(Long runId) {
        this.runId = runId;
    }

    Long runId() {
        return runId;
    }

    /** Counters this page adds to the run's history row, committed with the page. */
    RunCounts counts(Batch batch, PageWrite write) {
        return new RunCounts(1, 0, batch.leads(), write.inserted().size(), write.updated().size(),
                batch.quarantined().size());
    }

    void committed(Batch batch, PageWrite write) {
        metrics.committed(batch, write);
        int page = pages.incrementAndGet();
        processed.addAndGet(batch.leads());
        inserted.addAndGet(write.inserted().size());
        updated.addAndGet(write.updated().size());
        quarantined.addAndGet(batch.quarantined().size());
        if (batch.leads() == 0) {
            // the tail of a window, or a pass over a crowded second: progress, but nothing to tell
            Log.debugf("Page %d: no new leads", page);
            return;
        }
        Log.infof("Page %d: %d leads (%d new, %d updated%s)", page, batch.leads(), write.inserted().size(),
                write.updated().size(), batch.quarantined().isEmpty() ? ""
                        : ", " + batch.quarantined().size()
                                + " quarantined");
        if (request.verbose()) {
            Set<String> written = new HashSet<>(write.inserted());
            written.addAll(write.updated());
            for (DealRow row : batch.rows()) {
                String booking = row.metadata().path("rentprog_booking_id").asText(null);
                Log.infof("  %s %s%s", written.contains(row.amocrmDealId()) ? "✓" : "=", row.amocrmDealId(),
                        booking == null ? "" : " (RentProg: " + booking + ")");
            }
        }
        batch.quarantined().forEach(q -> Log.warnf("  ! lead %s quarantined: %s", q.leadId(), q.reason()));
    }

    /** A full sync writes every lead it reads in the normal list as not deleted. */
    boolean repairsDeletionFlags() {
        return request.kind() == SyncRequest.Kind.FULL && runId != null;
    }

    /** A committed page of a full sync: its leads were alive when read, and {@code cleared} lost a stale flag. */
    void seenAlive(Collection<String> leadIds, int cleared) {
        leadIds.forEach(id -> seenAlive.add(Long.valueOf(id)));
        metrics.deletions(0, cleared);
        restored.addAndGet(cleared);
        if (cleared > 0) {
            Log.infof("Cleared the deletion flag of %d deals amoCRM lists alive", cleared);
        }
    }

    Set<Long> seenAlive() {
        return seenAlive;
    }

    void deletions(int deletedRows, int restoredRows) {
        metrics.deletions(deletedRows, restoredRows);
        deleted.addAndGet(deletedRows);
        restored.addAndGet(restoredRows);
        if (deletedRows + restoredRows > 0) {
            Log.infof("Deletions: %d deals flagged deleted, %d restored", deletedRows, restoredRows);
        }
    }

    int deleted() {
        return deleted.intValue();
    }

    int restored() {
        return restored.intValue();
    }

    Duration took() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    SyncReport report(long requestsNow) {
        SyncReport.Outcome outcome = request.dryRun() ? SyncReport.Outcome.DRY_RUN
                : quarantined.get() > 0 ? SyncReport.Outcome.QUARANTINED : SyncReport.Outcome.SUCCEEDED;
        return new SyncReport(outcome, runId, pages.get(), processed.get(), inserted.get(), updated.get(),
                deleted.get(), restored.get(), quarantined.get(), requestsNow - requestsBefore,
                api.requestsPerSecond(), took(), null);
    }
}
