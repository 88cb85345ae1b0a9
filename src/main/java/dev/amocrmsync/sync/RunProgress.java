package dev.amocrmsync.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.amocrm.ApiSpan;
import dev.amocrmsync.mirror.Batch;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.mirror.ItemList;
import dev.amocrmsync.mirror.PageWrite;
import dev.amocrmsync.scan.Plan;
import io.quarkus.logging.Log;

/**
 * One run's counters, per entity, and its console story in the shape of the original script's output: the mode, the
 * last sync as ISO time and unix seconds, a line per page, a line per written row in verbose mode, and the totals. The
 * entity the original script mirrored keeps its lines unprefixed; the others say which they are.
 */
final class RunProgress {

    private final SyncRequest request;
    private final long started = System.nanoTime();
    private final long requestsBefore;
    private final SyncMetrics metrics;
    private final ApiSpan api;
    private final ReadProgress read;
    private final AtomicInteger pages = new AtomicInteger();
    private final Map<String, Tally> entities = new LinkedHashMap<>();
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
        // where its requests go: its list, or the event log the run reads once for every entity
        volatile String list = AmoCrmClient.EVENTS;
        // ids sync_quarantine held open at the start, not yet stored nor tried again by this run
        final Set<String> openQuarantine = ConcurrentHashMap.newKeySet();
    }

    RunProgress(SyncRequest request, long requestsBefore, SyncMetrics metrics, ApiSpan api, ReadProgress read) {
        this.request = request;
        this.read = read;
        this.api = api;
        this.requestsBefore = requestsBefore;
        this.metrics = metrics;
    }

    void started(String access) {
        read.beforeLog();
        Log.infof("amoCRM sync%s — %s", request.dryRun() ? " (dry run: nothing is written)" : "", access);
    }

    /** What the run reads of one entity, told before it reads it. */
    void reading(Entity<?> entity, Planner.Decision decision) {
        tally(entity.name()).list = entity.list().map(ItemList::path).orElse(AmoCrmClient.EVENTS);
        if (entity.list().isPresent()) {
            read.planned(entity.name(), decision.plans());
        }
        read.beforeLog();
        String prefix = prefix(entity);
        Log.info(prefix + decision.lastSync()
                .map(at -> "Last sync: " + Instant.ofEpochSecond(at) + " (unix " + at + ")")
                .orElse("Last sync: never"));
        for (Plan plan : decision.plans()) {
            // an event log is read by when its events happened, a list by when its items last changed
            Log.infof("Reading %s: %s %s %s .. %s%s", decision.plans().indexOf(plan) == 0 ? decision.basis()
                    : "then new changes", entity.name(), entity.list().isPresent() ? "updated" : "created",
                    Instant.ofEpochSecond(plan.from()),
                    Instant.ofEpochSecond(plan.to()),
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

    <R> void committed(Entity<R> entity, Batch<R> batch, PageWrite write) {
        metrics.committed(entity, batch, write);
        pages.incrementAndGet();
        Tally tally = tally(entity.name());
        // numbered per entity: the entities are read at once, their pages interleave
        int page = tally.pages.incrementAndGet();
        tally.processed.addAndGet(batch.items());
        tally.inserted.addAndGet(write.inserted().size());
        tally.updated.addAndGet(write.updated().size());
        tally.quarantined.addAndGet(batch.quarantined().size());
        if (batch.items() == 0) {
            // the tail of a window, or a pass over a crowded second: progress, but nothing to tell
            Log.debugf("%sPage %d: no new %s", prefix(entity), page, entity.name());
            read.advanced(entity.name(), batch.window());
            return;
        }
        read.beforeLog();
        Log.infof("%sPage %d: %d %s (%d new, %d updated%s)", prefix(entity), page, batch.items(), entity.name(),
                write.inserted().size(), write.updated().size(), batch.quarantined().isEmpty() ? ""
                        : ", " + batch.quarantined().size() + " quarantined");
        if (request.verbose()) {
            Set<String> written = new HashSet<>(write.inserted());
            written.addAll(write.updated());
            for (R row : batch.rows()) {
                entity.verbose(row).ifPresent(line -> Log.infof("  %s %s",
                        written.contains(entity.table().id(row)) ? "✓" : "=", line));
            }
        }
        batch.quarantined().forEach(q -> Log.warnf("  ! %s %s quarantined: %s", entity.one(), q.amocrmId(), q.reason()));
        read.advanced(entity.name(), batch.window());
    }

    /** The reading is over, however it ended: a line redrawn in place is taken away before the run's last lines. */
    void readingEnded() {
        read.beforeLog();
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
        return request.kind() == SyncRequest.Kind.FULL && !request.dryRun();
    }

    /** A committed page of a full sync: its items were alive when read, and {@code cleared} lost a stale flag. */
    void seenAlive(Entity<?> entity, Collection<String> ids, int cleared) {
        Tally tally = tally(entity.name());
        ids.forEach(id -> tally.seenAlive.add(Long.valueOf(id)));
        if (cleared > 0) {
            read.beforeLog();
            metrics.deletions(entity, 0, cleared);
            tally.restored.addAndGet(cleared);
            Log.infof("Cleared the deletion flag of %d %s amoCRM lists alive", cleared, entity.rowsCalled());
        }
    }

    Set<Long> seenAlive(Entity<?> entity) {
        return tally(entity.name()).seenAlive;
    }

    void deletions(Entity<?> entity, int deletedRows, int restoredRows) {
        metrics.deletions(entity, deletedRows, restoredRows);
        Tally tally = tally(entity.name());
        tally.deleted.addAndGet(deletedRows);
        tally.restored.addAndGet(restoredRows);
        if (deletedRows + restoredRows > 0) {
            read.beforeLog();
            Log.infof("Deletions: %d %s flagged deleted, %d restored", deletedRows, entity.rowsCalled(), restoredRows);
        }
    }

    private static String prefix(Entity<?> entity) {
        return entity.original() ? "" : entity.name() + ": ";
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

    long requests(long requestsNow) {
        return requestsNow - requestsBefore;
    }

    SyncReport report(long requestsNow) {
        long quarantined = sum(tally -> tally.quarantined.get());
        SyncReport.Outcome outcome = request.dryRun() ? SyncReport.Outcome.DRY_RUN
                : quarantined > 0 ? SyncReport.Outcome.QUARANTINED : SyncReport.Outcome.SUCCEEDED;
        List<SyncReport.EntityReport> perEntity;
        synchronized (entities) {
            perEntity = entities.entrySet().stream().map(e -> new SyncReport.EntityReport(e.getKey(),
                    e.getValue().pages.get(), e.getValue().processed.get(), e.getValue().inserted.get(),
                    e.getValue().updated.get(), e.getValue().deleted.get(), e.getValue().restored.get(),
                    e.getValue().quarantined.get(), api.requests(e.getValue().list))).toList();
        }
        return new SyncReport(outcome, runId, pages.get(), sum(t -> t.processed.get()), sum(t -> t.inserted.get()),
                sum(t -> t.updated.get()), deleted(), restored(), quarantined, requests(requestsNow),
                api.requestsPerSecond(), took(), null, perEntity, api.requestsByList());
    }

    private Tally tally(String entity) {
        synchronized (entities) {
            return entities.computeIfAbsent(entity, name -> new Tally());
        }
    }

    private long sum(ToLongFunction<Tally> counter) {
        synchronized (entities) {
            return entities.values().stream().mapToLong(counter).sum();
        }
    }
}
