package dev.amocrmsync.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** Applies the deletions and restorations logged in {@code [from, to]}; moves the events cursor when asked. */
    Uni<Void> apply(RunProgress run, long from, long to, boolean advanceCursor, boolean readBin, StatusCatalog catalog) {
        return events(from, to)
                .chain(latest -> run.runId() == null ? counted(run, latest)
                        : changed.apply(run.runId(), List.of(), latest.deleted(), latest.restored(),
                                () -> advanceCursor ? state.saveEventsCursor(to) : Uni.createFrom().voidItem(), catalog)
                                .invoke(applied -> run.deletions(applied.deleted(), applied.restored()))
                                .replaceWithVoid())
                .chain(() -> readBin ? bin(run, to) : Uni.createFrom().voidItem());
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
    private Uni<Void> bin(RunProgress run, long to) {
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
                .chain(() -> run.runId() == null ? Uni.createFrom().item(inBin.size())
                        : Panache.withTransaction(() -> deals.markDeleted(inBin)))
                .invoke(flagged -> run.deletions(flagged, 0))
                .replaceWithVoid();
    }
}
