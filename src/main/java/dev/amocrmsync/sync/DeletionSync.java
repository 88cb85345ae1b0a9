package dev.amocrmsync.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.amocrm.EventsPage;
import dev.amocrmsync.amocrm.LeadQuery;
import dev.amocrmsync.store.DealStore;
import dev.amocrmsync.store.SyncStateStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Deleted leads vanish from amoCRM's lists, so deletions are read from the event log ({@code lead_deleted},
 * {@code lead_restored}) over the run's range: the latest event of each lead decides its flag, and restored leads are
 * read again. A full sync also reads the bin ({@code with=only_deleted}). Rows are never deleted.
 */
@ApplicationScoped
class DeletionSync {

    private final AmoCrmClient client;
    private final DealStore deals;
    private final SyncStateStore state;
    private final ChangedLeads changed;
    private final RunControl control;

    DeletionSync(AmoCrmClient client, DealStore deals, SyncStateStore state, ChangedLeads changed, RunControl control) {
        this.client = client;
        this.deals = deals;
        this.state = state;
        this.changed = changed;
        this.control = control;
    }

    /**
     * What amoCRM says about deletions up to {@code to}: the event log from {@code from}, and for a full sync the bin.
     * Read once {@link Ahead#start() started}, so those requests overlap the leads scan; applied by {@link #apply}.
     */
    Ahead ahead(long from, long to, boolean readBin) {
        return new Ahead(events(from, to)
                .chain(latest -> (readBin ? bin(to) : Uni.createFrom().<Map<String, Long>> nullItem())
                        .map(inBin -> new Deletions(latest, inBin)))
                .memoize().indefinitely());
    }

    /** A read of the deletions that starts when asked, or when applied at the latest. */
    static final class Ahead {
        private final Uni<Deletions> read;
        private final AtomicBoolean started = new AtomicBoolean();

        private Ahead(Uni<Deletions> read) {
            this.read = read;
        }

        /** Sends the requests now; a failure surfaces when the deletions are applied. */
        void start() {
            if (started.compareAndSet(false, true)) {
                read.subscribe().with(deletions -> {
                }, failure -> {
                });
            }
        }
    }

    /** Applies the deletions read ahead (reading them now if that has not started); moves the events cursor. */
    Uni<Void> apply(RunProgress run, Ahead ahead, long to, boolean advanceCursor, StatusCatalog catalog) {
        return ahead.read.chain(deletions -> logged(run, deletions.latest(), to, advanceCursor, catalog)
                .chain(() -> deletions.inBin() == null ? Uni.createFrom().voidItem() : flagBin(run, deletions.inBin())));
    }

    /** What the event log and, for a full sync, the bin say; {@code inBin} is null when the bin was not read. */
    record Deletions(Latest latest, Map<String, Long> inBin) {
    }

    private Uni<Void> logged(RunProgress run, Latest latest, long to, boolean advanceCursor, StatusCatalog catalog) {
        if (run.runId() == null) {
            return counted(run, latest);
        }
        return changed.apply(run.runId(), List.of(), latest.deleted(), latest.restored(),
                () -> advanceCursor ? state.saveEventsCursor(to) : Uni.createFrom().voidItem(), catalog)
                .invoke(applied -> run.deletions(applied.deleted(), applied.restored()))
                .replaceWithVoid();
    }

    /** The last event of each lead: deleted or restored, and when. */
    record Latest(Map<String, Long> deleted, Map<String, Long> restored) {
    }

    private Uni<Latest> events(long from, long to) {
        AtomicInteger page = new AtomicInteger();
        List<EventsPage.Event> newestFirst = new ArrayList<>();
        return Multi.createBy().repeating()
                .uni(() -> Uni.createFrom().deferred(() -> {
                    control.checkNotStopping();
                    return client.deletionEvents(from, to, page.incrementAndGet());
                }))
                .whilst(events -> events.events().size() == AmoCrmClient.EVENTS_PAGE_SIZE)
                .onItem().invoke(events -> newestFirst.addAll(events.events()))
                .onItem().ignoreAsUni()
                .map(done -> latest(newestFirst));
    }

    static Latest latest(List<EventsPage.Event> newestFirst) {
        Map<String, EventsPage.Event> last = new HashMap<>();
        for (EventsPage.Event event : newestFirst) {
            if (event.entityId() == null || event.createdAt() == null || !"lead".equals(event.entityType())) {
                continue;
            }
            // newest first: the first event seen of a lead is its latest, unless a later page says otherwise
            last.merge(Long.toString(event.entityId()), event,
                    (kept, other) -> other.createdAt() > kept.createdAt() ? other : kept);
        }
        Map<String, Long> deleted = new HashMap<>();
        Map<String, Long> restored = new HashMap<>();
        last.forEach((id, event) -> (event.type().equals("lead_deleted") ? deleted : restored).put(id, event.createdAt()));
        return new Latest(deleted, restored);
    }

    private static Uni<Void> counted(RunProgress run, Latest latest) {
        run.deletions(latest.deleted().size(), latest.restored().size());
        return Uni.createFrom().voidItem();
    }

    /** Every lead in the bin is deleted, whatever the event log (which amoCRM keeps for a limited time) says. */
    private Uni<Map<String, Long>> bin(long to) {
        AtomicInteger page = new AtomicInteger();
        Map<String, Long> inBin = new HashMap<>();
        int limit = client.pageSize();
        return Multi.createBy().repeating()
                .uni(() -> Uni.createFrom().deferred(() -> {
                    control.checkNotStopping();
                    return client.leads(LeadQuery.deleted(page.incrementAndGet(), limit));
                }))
                .whilst(answer -> answer.leads().size() == limit)
                .onItem().invoke(answer -> KeyedLead.split(answer.leads()).keyed()
                        .forEach(lead -> inBin.put(Long.toString(lead.id()), to)))
                .onItem().ignoreAsUni()
                .replaceWith(inBin);
    }

    private Uni<Void> flagBin(RunProgress run, Map<String, Long> inBin) {
        return (run.runId() == null ? Uni.createFrom().item(inBin.size())
                : Panache.withTransaction(() -> deals.markDeleted(inBin)))
                .invoke(flagged -> run.deletions(flagged, 0))
                .replaceWithVoid();
    }
}
