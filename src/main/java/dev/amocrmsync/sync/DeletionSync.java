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
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.amocrm.EntityPage;
import dev.amocrmsync.amocrm.EntityQuery;
import dev.amocrmsync.amocrm.EventsPage;
import dev.amocrmsync.scan.Keyed;
import dev.amocrmsync.store.DealStore;
import dev.amocrmsync.store.RunHistory;
import dev.amocrmsync.store.SyncStateStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Deleted items vanish from amoCRM's lists, so deletions are read from the event log ({@code lead_deleted},
 * {@code contact_restored}, ...) over the run's range, every event of it ({@link EventScan}), for every entity read
 * at once: the latest event of each item decides its flag, and restored items are read again. An item whose latest
 * second holds both a deletion and a restoration (the API orders no ties) is looked up by id: listed means restored.
 * A full sync also reads the leads' bin ({@code with=only_deleted}), after its scan. Rows are never deleted. An entity
 * whose table has no row yet reads no events (see {@link Planner.Decision}): its events cursor just moves to the bound.
 */
@ApplicationScoped
class DeletionSync {

    private static final int BIN_PASSES = 3;

    private final AmoCrmClient client;
    private final DealStore deals;
    private final SyncStateStore state;
    private final RunHistory history;
    private final ChangedEntities changed;
    private final RunControl control;

    DeletionSync(AmoCrmClient client, DealStore deals, SyncStateStore state, RunHistory history,
            ChangedEntities changed, RunControl control) {
        this.client = client;
        this.deals = deals;
        this.state = state;
        this.history = history;
        this.changed = changed;
        this.control = control;
    }

    /**
     * What the event log says about deletions of these entities in {@code [from, to]}; for a full sync
     * ({@code readBin}) the leads' bin is added when applied. Read once {@link Ahead#start() started}, so those
     * requests overlap the scans.
     */
    Ahead ahead(long from, long to, boolean readBin, List<EntityRun<?>> runs) {
        List<String> ones = runs.stream().filter(run -> run.decision().readsEvents()).map(run -> run.entity().one())
                .toList();
        if (ones.isEmpty()) {
            return new Ahead(Uni.createFrom().item(Map.<String, Latest> of()), readBin);
        }
        String types = ones.stream().flatMap(one -> List.of(one + "_deleted", one + "_restored").stream())
                .collect(Collectors.joining(","));
        return new Ahead(events(types, from, to).map(events -> latestByEntity(events, ones)).memoize().indefinitely(),
                readBin);
    }

    /** A read of the event log that starts when asked, or when applied at the latest. */
    static final class Ahead {
        private final Uni<Map<String, Latest>> read;
        private final boolean readBin;
        private final AtomicBoolean started = new AtomicBoolean();

        private Ahead(Uni<Map<String, Latest>> read, boolean readBin) {
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
     * Applies the event log read ahead (reading it now if that has not started) entity by entity, moving each one's
     * events cursor; then, for a full sync, the leads' bin. A full sync has cleared the flag of every item its scan
     * read alive; every event up to {@code to} is older than that read (the bound was frozen before it), so those
     * items are left out of the events, and the bin, read only now, flags whatever was deleted since the scan read it.
     */
    Uni<Void> apply(RunProgress run, Ahead ahead, long to, List<EntityRun<?>> runs) {
        return ahead.read.chain(latest -> Multi.createFrom().iterable(runs)
                .onItem().transformToUniAndConcatenate(entity -> apply(run, ahead, entity,
                        latest.getOrDefault(entity.entity().one(), Latest.NONE), to))
                .onItem().ignoreAsUni())
                .chain(() -> ahead.readBin && runs.stream().anyMatch(r -> r.name().equals("leads"))
                        ? bin(to).chain(inBin -> flagBin(run, inBin))
                        : Uni.createFrom().voidItem());
    }

    private <R> Uni<Void> apply(RunProgress run, Ahead ahead, EntityRun<R> entity, Latest latest, long to) {
        Latest relevant = ahead.readBin ? latest.without(run.seenAlive(entity.name())) : latest;
        return settled(entity, relevant).chain(settled -> logged(run, entity, settled, to));
    }

    private <R> Uni<Void> logged(RunProgress run, EntityRun<R> entity, Latest latest, long to) {
        if (run.runId() == null) {
            run.deletions(entity.name(), latest.deleted().size(), latest.restored().size());
            return Uni.createFrom().voidItem();
        }
        boolean advance = entity.decision().advancesEvents();
        return run.confirmLock().chain(() -> changed.apply(run.runId(), entity.entity(), entity.mapper(), List.of(),
                latest.deleted(), latest.restored(), applied -> (advance ? state.saveEventsCursor(entity.name(), to)
                        : Uni.createFrom().voidItem())
                        .call(() -> history.deletions(run.runId(), entity.name(), applied.deleted(),
                                applied.restored()))))
                .invoke(applied -> run.deletions(entity.name(), applied.deleted(), applied.restored()))
                .replaceWithVoid();
    }

    /**
     * The last event of each item: deleted or restored, and when; {@code uncertain} when its last second holds both
     * (a delete and a restore in one second, or a delete, restore and delete again).
     */
    record Latest(Map<String, Long> deleted, Map<String, Long> restored, Map<String, Long> uncertain) {

        static final Latest NONE = new Latest(Map.of(), Map.of(), Map.of());

        Latest without(Set<Long> ids) {
            if (ids.isEmpty()) {
                return this;
            }
            return new Latest(minus(deleted, ids), minus(restored, ids), minus(uncertain, ids));
        }

        private static Map<String, Long> minus(Map<String, Long> events, Set<Long> ids) {
            Map<String, Long> kept = new HashMap<>(events);
            kept.keySet().removeIf(id -> ids.contains(Long.valueOf(id)));
            return kept;
        }
    }

    private Uni<Collection<EventsPage.Event>> events(String types, long from, long to) {
        EventScan scan = new EventScan(from, to);
        if (scan.done()) {
            return Uni.createFrom().item(List.of());
        }
        return Multi.createBy().repeating()
                .uni(() -> Uni.createFrom().deferred(() -> {
                    control.checkNotStopping();
                    EventScan.Request next = scan.next();
                    return client.events(types, next.from(), next.to(), next.page());
                }).invoke(page -> scan.accept(page.events())))
                .whilst(page -> !scan.done())
                .onItem().ignoreAsUni()
                .map(done -> scan.events());
    }

    /** The latest events per entity type ({@code lead}, {@code contact}, ...), events in any order. */
    static Map<String, Latest> latestByEntity(Collection<EventsPage.Event> events, List<String> ones) {
        Map<String, Latest> byEntity = new HashMap<>();
        for (String one : ones) {
            byEntity.put(one, latest(events.stream().filter(e -> one.equals(e.entityType())).toList(), one));
        }
        return byEntity;
    }

    /** Events of one entity type in any order (each counted once): each item's latest second, and what happened. */
    static Latest latest(Collection<EventsPage.Event> events, String one) {
        String deletedType = one + "_deleted";
        String restoredType = one + "_restored";
        Map<String, Long> last = new HashMap<>();
        Map<String, Set<String>> then = new HashMap<>();
        for (EventsPage.Event event : events) {
            if (event.entityId() == null || event.createdAt() == null || !one.equals(event.entityType())
                    || !(deletedType.equals(event.type()) || restoredType.equals(event.type()))) {
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
            (types.size() > 1 ? uncertain : types.contains(deletedType) ? deleted : restored).put(id, at);
        });
        return new Latest(deleted, restored, uncertain);
    }

    /** Asks amoCRM which uncertain items are listed (alive, so restored last) and which are not (deleted last). */
    private <R> Uni<Latest> settled(EntityRun<R> entity, Latest latest) {
        if (latest.uncertain().isEmpty()) {
            return Uni.createFrom().item(latest);
        }
        List<Long> ids = latest.uncertain().keySet().stream().map(Long::valueOf).sorted().toList();
        var scanner = entity.scanner(client, 1, control::checkNotStopping);
        return Multi.createFrom().iterable(ChangedEntities.chunks(ids))
                .onItem().transformToUniAndConcatenate(scanner::listedIds)
                .onItem().transformToIterable(listed -> listed)
                .map(id -> Long.toString(id))
                .collect().asSet()
                .map(listed -> {
                    Map<String, Long> deleted = new HashMap<>(latest.deleted());
                    Map<String, Long> restored = new HashMap<>(latest.restored());
                    latest.uncertain().forEach((id, at) -> (listed.contains(id) ? restored : deleted).put(id, at));
                    return new Latest(deleted, restored, Map.of());
                });
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
                    return client.list(EntityQuery.deletedLeads(page.incrementAndGet(), limit));
                }))
                .whilst(answer -> answer.items("leads").size() == limit)
                .onItem().invoke(answer -> binned(answer).forEach(lead -> {
                    if (inBin.put(Long.toString(lead.id()), to) == null) {
                        added.incrementAndGet();
                    }
                }))
                .onItem().ignoreAsUni()
                .map(done -> added.get());
    }

    private static List<Keyed> binned(EntityPage answer) {
        return new ArrayList<>(Keyed.split(answer.items("leads")).keyed());
    }

    private Uni<Void> flagBin(RunProgress run, Map<String, Long> inBin) {
        return (run.runId() == null ? Uni.createFrom().item(inBin.size())
                : run.confirmLock().chain(() -> Panache.withTransaction(() -> deals.markInBin(inBin)
                        .call(flagged -> history.deletions(run.runId(), "leads", flagged, 0)))))
                .invoke(flagged -> run.deletions("leads", flagged, 0))
                .replaceWithVoid();
    }
}
