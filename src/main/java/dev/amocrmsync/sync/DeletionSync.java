package dev.amocrmsync.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * {@code lead_restored}) over the run's range, every event of it ({@link EventScan}): the latest event of each lead
 * decides its flag, and restored leads are read again. A lead whose latest second holds both a deletion and a
 * restoration (the API orders no ties) is looked up by id: listed means restored. A full sync also reads the bin
 * ({@code with=only_deleted}), after its scan. Rows are never deleted.
 */
@ApplicationScoped
class DeletionSync {

    private static final String DELETED = "lead_deleted";
    private static final String RESTORED = "lead_restored";
    private static final int IDS_PER_REQUEST = 50;
    private static final int BIN_PASSES = 3;

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
     * What the event log says about deletions in {@code [from, to]}; for a full sync ({@code readBin}) the bin is
     * added when applied. Read once {@link Ahead#start() started}, so those requests overlap the leads scan.
     */
    Ahead ahead(long from, long to, boolean readBin) {
        return new Ahead(events(from, to).map(DeletionSync::latest).memoize().indefinitely(), readBin);
    }

    /** A read of the event log that starts when asked, or when applied at the latest. */
    static final class Ahead {
        private final Uni<Latest> read;
        private final boolean readBin;
        private final AtomicBoolean started = new AtomicBoolean();

        private Ahead(Uni<Latest> read, boolean readBin) {
            this.read = read;
            this.readBin = readBin;
        }

        /** Sends the requests now; a failure surfaces when the deletions are applied. */
        void start() {
            if (started.compareAndSet(false, true)) {
                read.subscribe().with(latest -> {
                }, failure -> {
                });
            }
        }
    }

    /**
     * Applies the event log read ahead (reading it now if that has not started) and moves the events cursor; then, for
     * a full sync, the bin. A full sync has cleared the flag of every lead its scan read alive; every event up to
     * {@code to} is older than that read (the bound was frozen before it), so those leads are left out of the events,
     * and the bin, read only now, flags whatever was deleted since the scan read it.
     */
    Uni<Void> apply(RunProgress run, Ahead ahead, long to, boolean advanceCursor, StatusCatalog catalog) {
        return ahead.read
                .map(latest -> ahead.readBin ? latest.without(run.seenAlive()) : latest)
                .chain(this::settled)
                .chain(latest -> logged(run, latest, to, advanceCursor, catalog))
                .chain(() -> ahead.readBin ? bin(to).chain(inBin -> flagBin(run, inBin)) : Uni.createFrom().voidItem());
    }

    private Uni<Void> logged(RunProgress run, Latest latest, long to, boolean advanceCursor, StatusCatalog catalog) {
        if (run.runId() == null) {
            return counted(run, latest);
        }
        return run.confirmLock().chain(() -> changed.apply(run.runId(), List.of(), latest.deleted(), latest.restored(),
                () -> advanceCursor ? state.saveEventsCursor(to) : Uni.createFrom().voidItem(), catalog))
                .invoke(applied -> run.deletions(applied.deleted(), applied.restored()))
                .replaceWithVoid();
    }

    /**
     * The last event of each lead: deleted or restored, and when; {@code uncertain} when its last second holds both
     * (a delete and a restore in one second, or a delete, restore and delete again).
     */
    record Latest(Map<String, Long> deleted, Map<String, Long> restored, Map<String, Long> uncertain) {

        Latest without(Set<Long> leads) {
            if (leads.isEmpty()) {
                return this;
            }
            return new Latest(minus(deleted, leads), minus(restored, leads), minus(uncertain, leads));
        }

        private static Map<String, Long> minus(Map<String, Long> events, Set<Long> leads) {
            Map<String, Long> kept = new HashMap<>(events);
            kept.keySet().removeIf(id -> leads.contains(Long.valueOf(id)));
            return kept;
        }
    }

    private Uni<Collection<EventsPage.Event>> events(long from, long to) {
        EventScan scan = new EventScan(from, to);
        if (scan.done()) {
            return Uni.createFrom().item(List.of());
        }
        return Multi.createBy().repeating()
                .uni(() -> Uni.createFrom().deferred(() -> {
                    control.checkNotStopping();
                    EventScan.Request next = scan.next();
                    return client.deletionEvents(next.from(), next.to(), next.page());
                }).invoke(page -> scan.accept(page.events())))
                .whilst(page -> !scan.done())
                .onItem().ignoreAsUni()
                .map(done -> scan.events());
    }

    /** Events in any order (each counted once): the latest second of each lead, and what happened to it then. */
    static Latest latest(Collection<EventsPage.Event> events) {
        Map<String, Long> last = new HashMap<>();
        Map<String, Set<String>> then = new HashMap<>();
        for (EventsPage.Event event : events) {
            if (event.entityId() == null || event.createdAt() == null || !"lead".equals(event.entityType())
                    || !(DELETED.equals(event.type()) || RESTORED.equals(event.type()))) {
                continue;
            }
            String id = Long.toString(event.entityId());
            Long known = last.get(id);
            if (known == null || event.createdAt() > known) {
                last.put(id, event.createdAt());
                then.put(id, new HashSet<>(Set.of(event.type())));
            } else if (event.createdAt().equals(known)) {
                then.get(id).add(event.type());
            }
        }
        Map<String, Long> deleted = new HashMap<>();
        Map<String, Long> restored = new HashMap<>();
        Map<String, Long> uncertain = new HashMap<>();
        last.forEach((id, at) -> {
            Set<String> types = then.get(id);
            (types.size() > 1 ? uncertain : types.contains(DELETED) ? deleted : restored).put(id, at);
        });
        return new Latest(deleted, restored, uncertain);
    }

    /** Asks amoCRM which uncertain leads are listed (alive, so restored last) and which are not (deleted last). */
    private Uni<Latest> settled(Latest latest) {
        if (latest.uncertain().isEmpty()) {
            return Uni.createFrom().item(latest);
        }
        List<Long> ids = latest.uncertain().keySet().stream().map(Long::valueOf).sorted().toList();
        List<List<Long>> chunks = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += IDS_PER_REQUEST) {
            chunks.add(ids.subList(i, Math.min(ids.size(), i + IDS_PER_REQUEST)));
        }
        return Multi.createFrom().iterable(chunks)
                .onItem().transformToUniAndConcatenate(chunk -> Uni.createFrom().deferred(() -> {
                    control.checkNotStopping();
                    return client.leads(LeadQuery.byIds(chunk));
                }))
                .onItem().transformToIterable(answer -> KeyedLead.split(answer.leads()).keyed())
                .map(lead -> Long.toString(lead.id()))
                .collect().asSet()
                .map(listed -> {
                    Map<String, Long> deleted = new HashMap<>(latest.deleted());
                    Map<String, Long> restored = new HashMap<>(latest.restored());
                    latest.uncertain().forEach((id, at) -> (listed.contains(id) ? restored : deleted).put(id, at));
                    return new Latest(deleted, restored, Map.of());
                });
    }

    private static Uni<Void> counted(RunProgress run, Latest latest) {
        run.deletions(latest.deleted().size(), latest.restored().size());
        return Uni.createFrom().voidItem();
    }

    /**
     * Every lead in the bin is deleted, whatever the event log (which amoCRM keeps for a limited time) says. Paged by
     * id, so only a deletion or restoration while it is paged shifts it: passes are read until one finds nothing new.
     */
    private Uni<Map<String, Long>> bin(long to) {
        Map<String, Long> inBin = new HashMap<>();
        AtomicInteger passes = new AtomicInteger();
        return Multi.createBy().repeating()
                .uni(() -> binPass(inBin, to))
                .whilst(added -> added > 0 && passes.incrementAndGet() < BIN_PASSES)
                .onItem().ignoreAsUni()
                .replaceWith(inBin);
    }

    /** One pass over the bin; returns how many leads it added. */
    private Uni<Integer> binPass(Map<String, Long> inBin, long to) {
        AtomicInteger page = new AtomicInteger();
        AtomicInteger added = new AtomicInteger();
        int limit = client.pageSize();
        return Multi.createBy().repeating()
                .uni(() -> Uni.createFrom().deferred(() -> {
                    control.checkNotStopping();
                    return client.leads(LeadQuery.deleted(page.incrementAndGet(), limit));
                }))
                .whilst(answer -> answer.leads().size() == limit)
                .onItem().invoke(answer -> KeyedLead.split(answer.leads()).keyed().forEach(lead -> {
                    if (inBin.put(Long.toString(lead.id()), to) == null) {
                        added.incrementAndGet();
                    }
                }))
                .onItem().ignoreAsUni()
                .map(done -> added.get());
    }

    private Uni<Void> flagBin(RunProgress run, Map<String, Long> inBin) {
        return (run.runId() == null ? Uni.createFrom().item(inBin.size())
                : run.confirmLock().chain(() -> Panache.withTransaction(() -> deals.markInBin(inBin))))
                .invoke(flagged -> run.deletions(flagged, 0))
                .replaceWithVoid();
    }
}
