package dev.amocrmsync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.store.DealRow;
import dev.amocrmsync.store.DealStore;
import dev.amocrmsync.store.PageWrite;
import dev.amocrmsync.store.QuarantineStore;
import dev.amocrmsync.store.Quarantined;
import dev.amocrmsync.store.RunHistory;
import dev.amocrmsync.store.SyncStateStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Writes what one answer from amoCRM gave, in ONE transaction: the leads (one statement), the quarantined ones, the
 * window's cursor and the run's counters. A crash between two commits loses nothing: the cursor never runs ahead of
 * the rows. Commits are made one at a time, by a single writer, whatever the number of windows being read.
 */
@ApplicationScoped
class PageCommitter {

    private final DealStore deals;
    private final QuarantineStore quarantine;
    private final SyncStateStore state;
    private final RunHistory history;

    PageCommitter(DealStore deals, QuarantineStore quarantine, SyncStateStore state, RunHistory history) {
        this.deals = deals;
        this.quarantine = quarantine;
        this.state = state;
        this.history = history;
    }

    Uni<PageWrite> commit(RunProgress run, Batch batch, boolean saveWindow) {
        if (run.runId() == null) {
            return dryRun(run, batch);
        }
        List<String> alive = run.repairsDeletionFlags() ? alive(batch) : List.of();
        AtomicInteger cleared = new AtomicInteger();
        return run.confirmLock().chain(() -> Panache.withTransaction(() -> deals.upsert(batch.rows())
                .call(() -> deals.markAlive(alive).invoke(cleared::set))
                .call(() -> quarantine.add(run.runId(), batch.quarantined()))
                .call(() -> saveWindow && batch.window() != null ? state.saveWindow(batch.window())
                        : Uni.createFrom().voidItem())
                .call(write -> history.add(run.runId(), run.counts(batch, write)))))
                .invoke(write -> run.committed(batch, write))
                .invoke(() -> run.seenAlive(alive, cleared.get()));
    }

    /** Every lead of the page by id, the quarantined ones with a usable id too: amoCRM listed them all. */
    private static List<String> alive(Batch batch) {
        List<String> ids = new ArrayList<>(batch.leads());
        batch.rows().forEach(row -> ids.add(row.amocrmDealId()));
        batch.quarantined().stream().map(Quarantined::leadId)
                .filter(id -> id != null && id.matches("[0-9]{1,18}"))
                .forEach(ids::add);
        return ids;
    }

    /** Nothing is written; the page is counted as new or already present. */
    private Uni<PageWrite> dryRun(RunProgress run, Batch batch) {
        List<String> ids = batch.rows().stream().map(DealRow::amocrmDealId).toList();
        return Panache.withSession(() -> deals.existing(ids)).map(existing -> split(ids, existing))
                .invoke(write -> run.committed(batch, write));
    }

    private static PageWrite split(List<String> ids, Set<String> existing) {
        List<String> inserted = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        ids.forEach(id -> (existing.contains(id) ? updated : inserted).add(id));
        return new PageWrite(inserted, updated);
    }
}
