package dev.amocrmsync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.scan.Batch;
import dev.amocrmsync.scan.Entity;
import dev.amocrmsync.store.PageWrite;
import dev.amocrmsync.store.QuarantineStore;
import dev.amocrmsync.store.Quarantined;
import dev.amocrmsync.store.RunHistory;
import dev.amocrmsync.store.SyncStateStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Writes what one answer from amoCRM gave, in ONE transaction: the rows (one statement) and their links, the
 * quarantined items, the window's cursor and the run's counters. A crash between two commits loses nothing: the
 * cursor never runs ahead of the rows. Commits are made one at a time, by a single writer, whatever the number of
 * windows being read.
 */
@ApplicationScoped
class PageCommitter {

    private final QuarantineStore quarantine;
    private final SyncStateStore state;
    private final RunHistory history;

    PageCommitter(QuarantineStore quarantine, SyncStateStore state, RunHistory history) {
        this.quarantine = quarantine;
        this.state = state;
        this.history = history;
    }

    <R> Uni<PageWrite> commit(RunProgress run, Entity<R> entity, Batch<R> batch, boolean saveWindow) {
        if (run.runId() == null) {
            return dryRun(run, entity, batch);
        }
        List<String> alive = run.repairsDeletionFlags() ? alive(entity, batch) : List.of();
        AtomicInteger cleared = new AtomicInteger();
        return run.confirmLock().chain(() -> Panache.withTransaction(() -> entity.rows().upsert(batch.rows())
                .call(() -> entity.rows().markAlive(alive).invoke(cleared::set))
                .call(() -> quarantine.add(run.runId(), entity.name(), batch.quarantined()))
                .call(() -> saveWindow && batch.window() != null ? state.saveWindow(entity.name(), batch.window())
                        : Uni.createFrom().voidItem())
                .call(write -> history.add(run.runId(), entity.name(), run.counts(batch, write)))))
                .invoke(write -> run.committed(entity.name(), batch, write))
                .invoke(() -> run.seenAlive(entity.name(), alive, cleared.get()));
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
