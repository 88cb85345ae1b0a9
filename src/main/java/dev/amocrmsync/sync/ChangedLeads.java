package dev.amocrmsync.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.store.DealStore;
import dev.amocrmsync.store.QuarantineStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Leads known to have changed, by id: deleted ones are flagged, restored ones unflagged, and every other (and every
 * restored) lead is read again ({@code filter[id][]}, 50 per request, within the request budget) and upserted with
 * the same newest-wins rule as the sync. All of it, and the caller's own bookkeeping, in one transaction. Used for the
 * event log's deletions and for webhooks.
 */
@ApplicationScoped
public class ChangedLeads {

    private static final int IDS_PER_REQUEST = 50;

    /** What one application changed. */
    public record Applied(int written, int deleted, int restored, int quarantined) {
    }

    private final LeadScanner scanner;
    private final DealStore deals;
    private final QuarantineStore quarantine;
    private final StatusCatalogs catalogs;

    ChangedLeads(LeadScanner scanner, DealStore deals, QuarantineStore quarantine, StatusCatalogs catalogs) {
        this.scanner = scanner;
        this.deals = deals;
        this.quarantine = quarantine;
        this.catalogs = catalogs;
    }

    /**
     * Applies the changes outside any sync run (webhooks).
     *
     * @param deleted lead id to unix seconds of the deletion
     * @param restored lead id to unix seconds of the restoration
     * @param bookkeeping more work for the same transaction (marking the webhook events processed)
     */
    public Uni<Applied> apply(Collection<Long> changed, Map<String, Long> deleted, Map<String, Long> restored,
            Supplier<Uni<Void>> bookkeeping) {
        return catalogs.open().chain(catalog -> apply(null, changed, deleted, restored, bookkeeping, catalog)
                .call(() -> catalogs.save(catalog)));
    }

    Uni<Applied> apply(Long runId, Collection<Long> changed, Map<String, Long> deleted, Map<String, Long> restored,
            Supplier<Uni<Void>> bookkeeping, StatusCatalog catalog) {
        Set<Long> refetch = new LinkedHashSet<>(changed);
        restored.keySet().forEach(id -> refetch.add(Long.valueOf(id)));
        deleted.keySet().forEach(id -> refetch.remove(Long.valueOf(id)));
        return fetch(List.copyOf(refetch), catalog).chain(batches -> Panache.withTransaction(() -> deals.markDeleted(deleted)
                .chain(deletedRows -> deals.markRestored(restored).chain(restoredRows -> write(runId, batches)
                        .map(written -> new Applied(written, deletedRows, restoredRows,
                                batches.stream().mapToInt(b -> b.quarantined().size()).sum()))))
                .call(() -> bookkeeping.get())));
    }

    private Uni<List<Batch>> fetch(List<Long> ids, StatusCatalog catalog) {
        List<List<Long>> chunks = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += IDS_PER_REQUEST) {
            chunks.add(ids.subList(i, Math.min(ids.size(), i + IDS_PER_REQUEST)));
        }
        return Multi.createFrom().iterable(chunks)
                .onItem().transformToUniAndConcatenate(chunk -> scanner.byIds(chunk, catalog))
                .collect().asList();
    }

    private Uni<Integer> write(Long runId, List<Batch> batches) {
        return Multi.createFrom().iterable(batches)
                .onItem().transformToUniAndConcatenate(batch -> deals.upsert(batch.rows())
                        .call(() -> quarantine.add(runId, batch.quarantined()))
                        .map(write -> write.inserted().size() + write.updated().size()))
                .collect().with(java.util.stream.Collectors.summingInt(Integer::intValue));
    }
}
