package dev.amocrmsync.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.amocrmsync.mirror.Batch;
import dev.amocrmsync.mirror.DataError;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.mirror.PageWrite;
import dev.amocrmsync.mirror.Quarantined;
import dev.amocrmsync.mirror.RefusedRows;
import dev.amocrmsync.scan.Plan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * A run that writes: every answer is committed in ONE transaction with the rows (one statement) and their links, the
 * quarantined items, the window's cursor and the run's counters, after confirming the run lock. A crash between two
 * commits loses nothing: the cursor never runs ahead of the rows. Commits come one at a time, from one writer.
 */
final class StoringSink implements Sink {

    private final Sinks beans;
    private final RunLock.Held lock;
    private final RunProgress progress;
    private volatile Long runId;

    StoringSink(Sinks beans, RunLock.Held lock, RunProgress progress) {
        this.beans = beans;
        this.lock = lock;
        this.progress = progress;
    }

    @Override
    public Uni<Void> open(SyncRequest request, String accessMode) {
        return beans.history.start(request.kind().name().toLowerCase(), accessMode, null, null)
                .invoke(row -> {
                    runId = row.id;
                    progress.identify(row.id);
                }).replaceWithVoid();
    }

    @Override
    public Uni<Void> opened(RunOpening.Opening opened) {
        // the items set aside by earlier runs: a page that stores one closes it, the rest are read again by id
        opened.quarantined().forEach(progress::quarantineOpen);
        return Uni.createFrom().voidItem();
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Uni<Void> range(long from, long to) {
        return beans.history.range(runId, Instant.ofEpochSecond(from), Instant.ofEpochSecond(to));
    }

    @Override
    public Uni<Void> planStarted(EntityRun<?> entity, Plan plan) {
        return Panache.withTransaction(() -> beans.state.startPlan(entity.name(), plan.from(), plan.to()));
    }

    /**
     * When PostgreSQL refuses the page's statement for a value it cannot hold ({@link DataError}), the rows it refuses
     * are found by trial ({@link RefusedRows}) and the page is written again without them, each quarantined with the
     * reason; the cursor moves on, so one bad item never stops its table. Items the quarantine held that a page stores
     * leave it.
     */
    @Override
    public <R> Uni<PageWrite> page(EntityRun<R> run, Batch<R> batch, boolean saveWindow) {
        Entity<R> entity = run.entity();
        return write(entity, batch, saveWindow).onFailure(DataError::isIn).recoverWithUni(refused -> {
            Log.warnf("PostgreSQL refused a page of %d %s (%s): finding the %s it refuses, to set aside only those",
                    batch.rows().size(), entity.name(), DataError.in(refused).orElseThrow().describe(),
                    entity.rowsCalled());
            return beans.refusedRows.find(entity.table(), batch.rows()).chain(rows -> {
                Map<String, String> reasons = new LinkedHashMap<>();
                rows.forEach((id, error) -> reasons.put(id, error.describe()));
                return write(entity, batch.setAside(reasons, entity.table()::id), saveWindow);
            });
        });
    }

    /** The page as written: its batch (refused rows set aside) and what the upsert changed. */
    private record Written<R>(Batch<R> batch, PageWrite write) {
    }

    private <R> Uni<PageWrite> write(Entity<R> entity, Batch<R> batch, boolean saveWindow) {
        // what a full sync reads in a list is alive (an event-log entity's rows have no deletion to repair)
        List<String> alive = progress.repairsDeletionFlags() && entity.list().isPresent() ? alive(entity, batch)
                : List.of();
        List<String> stored = progress.openQuarantined(entity.name(),
                batch.rows().stream().map(entity.table()::id).toList());
        AtomicInteger cleared = new AtomicInteger();
        return lock.confirm().chain(() -> Panache.withTransaction(() -> beans.tables.upsert(entity.table(), batch.rows())
                .call(() -> beans.tables.markAlive(entity.table(), alive).invoke(cleared::set))
                .call(() -> beans.quarantine.add(runId, entity.name(), batch.quarantined()))
                .call(() -> beans.quarantine.resolve(entity.name(), stored, QuarantineStore.Resolution.STORED))
                .call(() -> saveWindow && batch.window() != null ? beans.state.saveWindow(entity.name(), batch.window())
                        : Uni.createFrom().voidItem())
                .call(write -> beans.history.add(runId, entity.name(), counts(batch, write)))
                .map(write -> new Written<>(batch, write))))
                .invoke(page -> progress.committed(entity, page.batch(), page.write()))
                .invoke(page -> progress.triedAgain(entity.name(), stored, ids(page.batch().quarantined())))
                .invoke(() -> progress.seenAlive(entity, alive, cleared.get()))
                .map(Written::write);
    }

    private static List<String> ids(List<Quarantined> quarantined) {
        return quarantined.stream().map(Quarantined::amocrmId).filter(id -> id != null).toList();
    }

    @Override
    public Uni<Void> notListed(EntityRun<?> entity, List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return lock.confirm().chain(() -> Panache.withTransaction(() -> beans.quarantine.resolve(entity.name(), ids,
                QuarantineStore.Resolution.GONE))).invoke(() -> progress.triedAgain(entity.name(), ids, List.of()))
                .replaceWithVoid();
    }

    /** Every item of the page by id, the quarantined ones with a usable id too: amoCRM listed them all. */
    private static <R> List<String> alive(Entity<R> entity, Batch<R> batch) {
        List<String> ids = new ArrayList<>(batch.items());
        batch.rows().forEach(row -> ids.add(entity.table().id(row)));
        batch.quarantined().stream().map(Quarantined::amocrmId)
                .filter(id -> id != null && id.matches("[0-9]{1,18}"))
                .forEach(ids::add);
        return ids;
    }

    private static RunCounts counts(Batch<?> batch, PageWrite write) {
        return new RunCounts(1, 0, batch.items(), write.inserted().size(), write.updated().size(),
                batch.quarantined().size());
    }

    @Override
    public Uni<Void> planCompleted(EntityRun<?> entity, Plan plan) {
        return lock.confirm()
                .chain(() -> Panache.withTransaction(() -> beans.state.completePlan(entity.name(), plan.to())));
    }

    @Override
    public <R> Uni<ChangedEntities.Applied> deletions(EntityRun<R> entity, Map<String, Long> deleted,
            Map<String, Long> restored, Long eventsCursor) {
        return lock.confirm().chain(() -> beans.changed.apply(runId, entity.entity(), entity.mapper(), List.of(),
                deleted, restored, applied -> (eventsCursor == null ? Uni.createFrom().voidItem()
                        : beans.state.saveEventsCursor(entity.name(), eventsCursor))
                        .call(() -> beans.history.deletions(runId, entity.name(), applied.deleted(),
                                applied.restored()))));
    }

    @Override
    public Uni<Integer> gone(EntityRun<?> entity, Map<String, Long> gone) {
        return lock.confirm().chain(() -> Panache.withTransaction(() -> beans.tables
                .markGone(entity.entity().table(), gone)
                .call(flagged -> beans.history.deletions(runId, entity.name(), flagged, 0))));
    }

    @Override
    public Uni<Void> finish(SyncReport report, int deleted, int restored) {
        String status = report.outcome() == SyncReport.Outcome.QUARANTINED ? "quarantined" : "succeeded";
        return beans.history.finish(runId, status, null, deleted, restored, (int) report.requests());
    }

    @Override
    public Uni<Void> failed(Throwable failure, int deleted, int restored, long requests) {
        if (runId == null) {
            return Uni.createFrom().voidItem(); // refused before its row was written
        }
        String status = failure instanceof RunInterrupted ? "interrupted" : "failed";
        return beans.history.finish(runId, status, String.valueOf(failure.getMessage()), deleted, restored,
                (int) requests).onFailure().recoverWithNull();
    }

    /** Quarantine and deletion writers outside the page path need the run's id. */
    Long runId() {
        return runId;
    }
}
