package dev.amocrmsync.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.amocrmsync.amocrm.ApiSpan;
import dev.amocrmsync.scan.Batch;
import dev.amocrmsync.scan.Plan;
import dev.amocrmsync.store.DealRow;
import dev.amocrmsync.store.PageWrite;
import dev.amocrmsync.store.RunCounts;
import dev.amocrmsync.store.RunLock;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * One run's counters, per entity, and its console story in the shape of the original script's output: the mode, the
 * last sync as ISO time and unix seconds, a line per page, a line per lead in verbose mode, and the totals.
 */
final class RunProgress {

    private final SyncRequest request;
    private final long started = System.nanoTime();
    private final long requestsBefore;
    private final SyncMetrics metrics;
    private final ApiSpan api;
    private final AtomicInteger pages = new AtomicInteger();
    private final Map<String, Tally> entities = new LinkedHashMap<>();
    private final RunLock.Held lock;
    private volatile Long runId;

    /** What the run did to one entity. */
    private static final class Tally {
        final AtomicInteger pages = new AtomicInteger();
        final AtomicLong processed = new AtomicLong();
        final AtomicLong inserted = new AtomicLong();
        final AtomicLong updated = new AtomicLong();
        final AtomicLong quarantined = new AtomicLong();
        final AtomicLong deleted = new AtomicLong();
        final AtomicLong restored = new AtomicLong();
        // a full sync's items read alive, whose deletion flags it cleared: older events must not set them again
        final Set<Long> seenAlive = ConcurrentHashMap.newKeySet();
        // ids sync_quarantine held open at the start, not yet stored nor tried again by this run
        final Set<String> openQuarantine = ConcurrentHashMap.newKeySet();
    }

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

    void started(String access) {
        Log.infof("amoCRM sync%s — %s", request.dryRun() ? " (dry run: nothing is written)" : "", access);
    }

    /** What the run reads of one entity, told before it reads it. */
    void reading(String entity, Planner.Decision decision) {
        synchronized (entities) {
            entities.computeIfAbsent(entity, name -> new Tally());
        }
        String prefix = entity.equals("leads") ? "" : entity + ": ";
        Log.info(prefix + decision.lastSync()
                .map(at -> "Last sync: " + Instant.ofEpochSecond(at) + " (unix " + at + ")")
                .orElse("Last sync: never"));
        for (Plan plan : decision.plans()) {
            Log.infof("Reading %s: %s updated %s .. %s%s", decision.plans().indexOf(plan) == 0 ? decision.basis()
                    : "then new changes", entity, Instant.ofEpochSecond(plan.from()), Instant.ofEpochSecond(plan.to()),
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
    RunCounts counts(Batch<?> batch, PageWrite write) {
        return new RunCounts(1, 0, batch.items(), write.inserted().size(), write.updated().size(),
                batch.quarantined().size());
    }

    void committed(String entity, Batch<?> batch, PageWrite write) {
        metrics.committed(entity, batch, write);
        pages.incrementAndGet();
        Tally tally = tally(entity);
        // numbered per entity: the entities are read at once, their pages interleave
        int page = tally.pages.incrementAndGet();
        tally.processed.addAndGet(batch.items());
        tally.inserted.addAndGet(write.inserted().size());
        tally.updated.addAndGet(write.updated().size());
        tally.quarantined.addAndGet(batch.quarantined().size());
        if (batch.items() == 0) {
            // the tail of a window, or a pass over a crowded second: progress, but nothing to tell
            Log.debugf("Page %d: no new %s", page, entity);
            return;
        }
        Log.infof("Page %d: %d %s (%d new, %d updated%s)", page, batch.items(), entity, write.inserted().size(),
                write.updated().size(), batch.quarantined().isEmpty() ? ""
                        : ", " + batch.quarantined().size() + " quarantined");
        if (request.verbose()) {
            Set<String> written = new HashSet<>(write.inserted());
            written.addAll(write.updated());
            for (Object row : batch.rows()) {
                if (row instanceof DealRow deal) {
                    String booking = deal.metadata().path("rentprog_booking_id").asText(null);
                    Log.infof("  %s %s%s", written.contains(deal.amocrmDealId()) ? "✓" : "=", deal.amocrmDealId(),
                            booking == null ? "" : " (RentProg: " + booking + ")");
                }
            }
        }
        batch.quarantined().forEach(q -> Log.warnf("  ! %s %s quarantined: %s", entity, q.amocrmId(), q.reason()));
    }

    /** The ids of {@code entity} that {@code sync_quarantine} holds open as the run starts: it reads them again. */
    void quarantineOpen(String entity, Collection<String> ids) {
        tally(entity).openQuarantine.addAll(ids);
    }

    /** Those of {@code ids} the quarantine held open at the start and this run has not met since. */
    java.util.List<String> openQuarantined(String entity, Collection<String> ids) {
        Set<String> open = tally(entity).openQuarantine;
        return open.isEmpty() ? java.util.List.of() : ids.stream().filter(open::contains).toList();
    }

    /** Items of the open quarantine this run met again: stored (and resolved), or set aside once more. */
    void triedAgain(String entity, Collection<String> stored, Collection<String> setAside) {
        Set<String> open = tally(entity).openQuarantine;
        if (!open.isEmpty()) {
            open.removeAll(stored);
            open.removeAll(setAside);
        }
    }

    /** The items the quarantine held at the start that this run has not met yet, in id order. */
    java.util.List<Long> stillQuarantined(String entity) {
        return tally(entity).openQuarantine.stream().map(Long::valueOf).sorted().toList();
    }

    /** A full sync writes every item it reads in the normal list as not deleted. */
    boolean repairsDeletionFlags() {
        return request.kind() == SyncRequest.Kind.FULL && runId != null;
    }

    /** A committed page of a full sync: its items were alive when read, and {@code cleared} lost a stale flag. */
    void seenAlive(String entity, Collection<String> ids, int cleared) {
        Tally tally = tally(entity);
        ids.forEach(id -> tally.seenAlive.add(Long.valueOf(id)));
        metrics.deletions(entity, 0, cleared);
        tally.restored.addAndGet(cleared);
        if (cleared > 0) {
            Log.infof("Cleared the deletion flag of %d %s amoCRM lists alive", cleared, rows(entity));
        }
    }

    Set<Long> seenAlive(String entity) {
        return tally(entity).seenAlive;
    }

    void deletions(String entity, int deletedRows, int restoredRows) {
        metrics.deletions(entity, deletedRows, restoredRows);
        Tally tally = tally(entity);
        tally.deleted.addAndGet(deletedRows);
        tally.restored.addAndGet(restoredRows);
        if (deletedRows + restoredRows > 0) {
            Log.infof("Deletions: %d %s flagged deleted, %d restored", deletedRows, rows(entity), restoredRows);
        }
    }

    /** What the rows of an entity are called: a lead's row is a deal, as in {@code amocrm_deals}. */
    private static String rows(String entity) {
        return entity.equals("leads") ? "deals" : entity;
    }

    int deleted() {
        return (int) sum(tally -> tally.deleted.get());
    }

    int restored() {
        return (int) sum(tally -> tally.restored.get());
    }

    Duration took() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    SyncReport report(long requestsNow) {
        long quarantined = sum(tally -> tally.quarantined.get());
        SyncReport.Outcome outcome = request.dryRun() ? SyncReport.Outcome.DRY_RUN
                : quarantined > 0 ? SyncReport.Outcome.QUARANTINED : SyncReport.Outcome.SUCCEEDED;
        java.util.List<SyncReport.EntityReport> perEntity;
        synchronized (entities) {
            perEntity = entities.entrySet().stream().map(e -> new SyncReport.EntityReport(e.getKey(),
                    e.getValue().pages.get(), e.getValue().processed.get(), e.getValue().inserted.get(),
                    e.getValue().updated.get(), e.getValue().deleted.get(), e.getValue().restored.get(),
                    e.getValue().quarantined.get())).toList();
        }
        return new SyncReport(outcome, runId, pages.get(), sum(t -> t.processed.get()), sum(t -> t.inserted.get()),
                sum(t -> t.updated.get()), deleted(), restored(), quarantined, requestsNow - requestsBefore,
                api.requestsPerSecond(), took(), null, perEntity);
    }

    private Tally tally(String entity) {
        synchronized (entities) {
            return entities.computeIfAbsent(entity, name -> new Tally());
        }
    }

    private long sum(java.util.function.ToLongFunction<Tally> counter) {
        synchronized (entities) {
            return entities.values().stream().mapToLong(counter).sum();
        }
    }
}
