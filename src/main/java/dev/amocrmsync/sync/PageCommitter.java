package dev.amocrmsync.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.scan.Batch;
import dev.amocrmsync.scan.Entity;
import dev.amocrmsync.store.DataError;
import dev.amocrmsync.store.PageWrite;
import dev.amocrmsync.store.QuarantineStore;
import dev.amocrmsync.store.Quarantined;
import dev.amocrmsync.store.RefusedRows;
import dev.amocrmsync.store.RunHistory;
import dev.amocrmsync.store.SyncStateStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Writes what one answer from amoCRM gave, in ONE transaction: the rows (one statement) and their links, the
 * quarantined items, the window's cursor and the run's counters. A crash between two commits loses nothing: the
 * cursor never runs ahead of the rows. Commits are made one at a time, by a single writer, whatever the number of
 * windows being read.
 * <p>
 * When PostgreSQL refuses the page's statement for a value it cannot hold ({@link DataError}), the rows it refuses are
 * found by trial ({@link RefusedRows}) and the page is written again without them, each quarantined with the reason;
 * the cursor moves on, so one bad item never stops its table. Items the quarantine held that a page stores leave it.
 */
@ApplicationScoped
class PageCommitter {

    private final QuarantineStore quarantine;
    private final SyncStateStore state;
    private final RunHistory history;
    private final RefusedRows refusedRows;

    PageCommitter(QuarantineStore quarantine, SyncStateStore state, RunHistory history, RefusedRows refusedRows) {
        this.quarantine = quarantine;
        this.state = state;
        this.history = history;
        this.refusedRows = refusedRows;
    }

    <R> Uni<PageWrite> commit(RunProgress run, Entity<R> entity, Batch<R> batch, boolean saveWindow) {
        if (run.runId() == null) {
            return dryRun(run, entity, batch);
        }
        return write(run, entity, batch, saveWindow)
                .onFailure(DataError::isIn).recoverWithUni(refused -> {
                    Log.warnf("PostgreSQL refused a page of %d %s (%s): finding the %s it refuses, to set aside only"
                            + " those", batch.rows().size(), entity.name(), DataError.in(refused).orElseThrow().describe(),
                            entity.name());
                    return refusedRows.find(entity.rows(), batch.rows()).chain(rows -> {
                        Map<String, String> reasons = new LinkedHashMap<>();
                        rows.forEach((id, error) -> reasons.put(id, error.describe()));
                        return write(run, entity, batch.setAside(reasons, entity.rows()::id), saveWindow);
                    });
                });
    }

    private <R> Uni<PageWrite> write(RunProgress run, Entity<R> entity, Batch<R> batch, boolean saveWindow) {
        List<String> alive = run.repairsDeletionFlags() ? alive(entity, batch) : List.of();
        AtomicInteger cleared = new AtomicInteger();
        return run.confirmLock().chain(() -> Panache.withTransaction(() -> entity.rows().upsert(batch.rows())
                .map(write -> new Written<>(batch, write))
                .call(page -> entity.rows().markAlive(alive).invoke(cleared::set))
                .call(page -> quarantine.add(run.runId(), entity.name(), page.batch().quarantined()))
                .call(page -> quarantine.resolve(entity.name(), page.stored(run, entity), QuarantineStore.Resolution.STORED))
                .call(page -> saveWindow && batch.window() != null ? state.saveWindow(entity.name(), batch.window())
                        : Uni.createFrom().voidItem())
                .call(page -> history.add(run.runId(), entity.name(), run.counts(page.batch(), page.write())))))
                .invoke(page -> run.committed(entity.name(), page.batch(), page.write()))
                .invoke(page -> run.triedAgain(entity.name(), page.stored(run, entity), ids(page.batch().quarantined())))
                .invoke(() -> run.seenAlive(entity.name(), alive, cleared.get()))
                .map(Written::write);
    }

    /** A page as written: its batch and what the upsert changed. */
    private record Written<R>(Batch<R> batch, PageWrite write) {

        /** The ids of the rows stored that the quarantine held when the run started. */
        List<String> stored(RunProgress run, Entity<R> entity) {
            return run.openQuarantined(entity.name(), batch.rows().stream().map(entity.rows()::id).toList());
        }
    }

    private static List<String> ids(List<Quarantined> quarantined) {
        return quarantined.stream().map(Quarantined::amocrmId).filter(id -> id != null).toList();
    }

    /** Every item of the page by id, the quarantined ones with a usable id too: amoCRM listed them all. */
    private static <R> List<String> alive(Entity<R> entity, Batch<R> batch) {
        List<String> ids = new ArrayList<>(batch.items());
        batch.rows().forEach(row -> ids.add(entity.rows().id(row)));
        batch.quarantined().stream().map(Quarantined::amocrmId)
                .filter(id -> id != null && id.matches("[0-9]{1,18}"))
                .forEach(ids::add);
        return ids;
    }

    /** Nothing is written; the page is counted as new or already present. */
    private static <R> Uni<PageWrite> dryRun(RunProgress run, Entity<R> entity, Batch<R> batch) {
        List<String> ids = batch.rows().stream().map(entity.rows()::id).toList();
        return Panache.withSession(() -> entity.rows().existing(ids)).map(existing -> split(ids, existing))
                .invoke(write -> run.committed(entity.name(), batch, write));
    }

    private static PageWrite split(List<String> ids, Set<String> existing) {
        List<String> inserted = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        ids.forEach(id -> (existing.contains(id) ? updated : inserted).add(id));
        return new PageWrite(inserted, updated);
    }
}
