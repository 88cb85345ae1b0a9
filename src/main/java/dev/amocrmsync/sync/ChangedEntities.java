package dev.amocrmsync.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.mirror.Batch;
import dev.amocrmsync.mirror.DataError;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.mirror.MirrorTables;
import dev.amocrmsync.mirror.RefusedRows;
import dev.amocrmsync.mirror.RowMapper;
import dev.amocrmsync.scan.EntityScanner;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Items of one entity known to have changed, by id: deleted ones are flagged, restored ones unflagged, and every other
 * (and every restored) item is read again ({@code filter[id][]}, 50 per request, within the request budget) and
 * upserted with the same newest-wins rule as the sync. All of it, and the caller's own bookkeeping, in one
 * transaction. Used for the event log's deletions and for webhooks.
 */
@ApplicationScoped
public class ChangedEntities {

    static final int IDS_PER_REQUEST = 50;

    /** What one application changed. */
    public record Applied(int written, int deleted, int restored, int quarantined) {
    }

    private final AmoCrmClient client;
    private final QuarantineStore quarantine;
    private final RunControl control;
    private final RefusedRows refusedRows;
    private final MirrorTables tables;

    ChangedEntities(AmoCrmClient client, QuarantineStore quarantine, RunControl control, RefusedRows refusedRows,
            MirrorTables tables) {
        this.tables = tables;
        this.client = client;
        this.quarantine = quarantine;
        this.control = control;
        this.refusedRows = refusedRows;
    }

    /**
     * Applies the changes outside any sync run (webhooks), with a mapping of its own.
     *
     * @param deleted id to unix seconds of the deletion
     * @param restored id to unix seconds of the restoration
     * @param bookkeeping more work for the same transaction, knowing what was applied (marking webhook events
     *        processed, moving a cursor)
     */
    public <R> Uni<Applied> apply(Entity<R> entity, Collection<Long> changed, Map<String, Long> deleted,
            Map<String, Long> restored, Function<Applied, Uni<Void>> bookkeeping) {
        return entity.openMapper().chain(mapper -> apply(null, entity, mapper, changed, deleted, restored, bookkeeping)
                .call(mapper::close));
    }

    <R> Uni<Applied> apply(Long runId, Entity<R> entity, RowMapper<R> mapper, Collection<Long> changed,
            Map<String, Long> deleted, Map<String, Long> restored, Function<Applied, Uni<Void>> bookkeeping) {
        Set<Long> refetch = new LinkedHashSet<>(changed);
        restored.keySet().forEach(id -> refetch.add(Long.valueOf(id)));
        deleted.keySet().forEach(id -> refetch.remove(Long.valueOf(id)));
        EntityScanner<R> scanner = new EntityScanner<>(client, entity, mapper, 1, control::checkNotStopping);
        return fetch(scanner, List.copyOf(refetch)).chain(batches -> apply(runId, entity, deleted, restored, bookkeeping,
                batches)
                // a value PostgreSQL cannot hold sets aside only its item, as in a sync's page
                .onFailure(DataError::isIn).recoverWithUni(refused -> setAside(entity, batches)
                        .chain(kept -> apply(runId, entity, deleted, restored, bookkeeping, kept))));
    }

    private <R> Uni<Applied> apply(Long runId, Entity<R> entity, Map<String, Long> deleted, Map<String, Long> restored,
            Function<Applied, Uni<Void>> bookkeeping, List<Batch<R>> batches) {
        return Panache.withTransaction(() -> tables.markDeleted(entity.table(), deleted)
                .chain(deletedRows -> tables.markRestored(entity.table(), restored).chain(restoredRows -> write(runId, entity,
                        batches).map(
                                written -> new Applied(written, deletedRows, restoredRows,
                                        batches.stream().mapToInt(b -> b.quarantined().size()).sum()))))
                .call(bookkeeping::apply));
    }

    /** The batches with the rows PostgreSQL refuses moved to their quarantine, with why. */
    private <R> Uni<List<Batch<R>>> setAside(Entity<R> entity, List<Batch<R>> batches) {
        return Multi.createFrom().iterable(batches)
                .onItem().transformToUniAndConcatenate(batch -> refusedRows.find(entity.table(), batch.rows())
                        .map(refused -> {
                            Map<String, String> reasons = new java.util.LinkedHashMap<>();
                            refused.forEach((id, error) -> reasons.put(id, error.describe()));
                            return batch.setAside(reasons, entity.table()::id);
                        }))
                .collect().asList();
    }

    private static <R> Uni<List<Batch<R>>> fetch(EntityScanner<R> scanner, List<Long> ids) {
        return Multi.createFrom().iterable(chunks(ids))
                .onItem().transformToUniAndConcatenate(scanner::byIds)
                .collect().asList();
    }

    static List<List<Long>> chunks(List<Long> ids) {
        List<List<Long>> chunks = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += IDS_PER_REQUEST) {
            chunks.add(ids.subList(i, Math.min(ids.size(), i + IDS_PER_REQUEST)));
        }
        return chunks;
    }

    private <R> Uni<Integer> write(Long runId, Entity<R> entity, List<Batch<R>> batches) {
        return Multi.createFrom().iterable(batches)
                .onItem().transformToUniAndConcatenate(batch -> tables.upsert(entity.table(), batch.rows())
                        .call(() -> quarantine.add(runId, entity.name(), batch.quarantined()))
                        .map(write -> write.inserted().size() + write.updated().size()))
                .collect().with(Collectors.summingInt(Integer::intValue));
    }
}
