package dev.amocrmsync.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.amocrm.EntityPage;
import dev.amocrmsync.amocrm.EntityQuery;
import dev.amocrmsync.amocrm.EventsPage;
import dev.amocrmsync.mirror.Deletions;
import dev.amocrmsync.mirror.ItemList;
import dev.amocrmsync.mirror.Keyed;
import dev.amocrmsync.mirror.MirrorTables;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Deleted items vanish from amoCRM's lists, so a run's closing applies what can be seen of deletions, entity by
 * entity as each describes it ({@link Deletions}): the event log's deletions and restorations read over the run's range
 * ({@link EventLogRead}), where the latest event of each item decides its flag and restored items are read again (an
 * item whose latest second holds both a deletion and a restoration is looked up by id: listed means restored); for a
 * full sync, the bin of an entity that has one, read after its scan; and for a full sync of an entity the event log does
 * not always tell about, a sweep: the rows the scan did not read are looked up by id, and those amoCRM does not list are
 * gone. Rows are never deleted. An entity whose table has no row yet reads no events: its events cursor just moves.
 */
@ApplicationScoped
class DeletionSync {

    private static final int BIN_PASSES = 3;

    private final AmoCrmClient client;
    private final RunControl control;
    private final MirrorTables tables;

    DeletionSync(AmoCrmClient client, RunControl control, MirrorTables tables) {
        this.client = client;
        this.control = control;
        this.tables = tables;
    }

    /**
     * Applies the event log's deletions entity by entity, moving each one's events cursor to {@code to}; then, for a
     * full sync, the bins and sweeps. A full sync has cleared the flag of every item its scan read alive; every event up
     * to {@code to} is older than that read (the bound was frozen before it), so those items are left out of the
     * events, and the bin, read only now, flags whatever was deleted since the scan read it.
     */
    Uni<Void> apply(SyncRequest request, Sink sink, RunProgress progress, EventLogRead log, List<EntityRun<?>> runs,
            long to) {
        boolean full = request.kind() == SyncRequest.Kind.FULL;
        List<EntityRun<?>> deletable = runs.stream().filter(run -> run.entity().deletions().readsEvents()).toList();
        return Multi.createFrom().iterable(deletable)
                .onItem().transformToUniAndConcatenate(run -> fromEvents(sink, progress, run,
                        latest(log.deletions(run), run.entity().deletions()), full, to))
                .onItem().ignoreAsUni()
                .chain(() -> full ? Multi.createFrom().iterable(runs)
                        .onItem().transformToUniAndConcatenate(run -> gone(sink, progress, run, to))
                        .onItem().ignoreAsUni()
                        : Uni.createFrom().voidItem());
    }

    private <R> Uni<Void> fromEvents(Sink sink, RunProgress progress, EntityRun<R> run, Latest latest, boolean full,
            long to) {
        Latest relevant = full ? latest.without(progress.seenAlive(run.entity())) : latest;
        return settled(run, relevant)
                .chain(settled -> sink.deletions(run, settled.deleted(), settled.restored(),
                        run.decision().advancesEvents() ? to : null))
                .invoke(applied -> progress.deletions(run.entity(), applied.deleted(), applied.restored()))
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

    /** Events of one entity in any order (each counted once): each item's latest second, and what happened. */
    static Latest latest(Collection<EventsPage.Event> events, Deletions deletions) {
        Map<String, Long> last = new HashMap<>();
        Map<String, Set<Boolean>> then = new HashMap<>();
        for (EventsPage.Event event : events) {
            Optional<Long> item = deletions.itemOf().apply(event);
            boolean deleted = deletions.deleted().contains(event.type());
            if (item.isEmpty() || event.createdAt() == null || !deleted && !deletions.restored().contains(event.type())) {
                continue;
            }
            String id = Long.toString(item.get());
            Long known = last.get(id);
            if (known == null || event.createdAt() > known) {
                last.put(id, event.createdAt());
                then.put(id, new HashSet<>(Set.of(deleted)));
            } else if (event.createdAt().equals(known)) {
                then.get(id).add(deleted);
            }
        }
        Map<String, Long> deleted = new HashMap<>();
        Map<String, Long> restored = new HashMap<>();
        Map<String, Long> uncertain = new HashMap<>();
        last.forEach((id, at) -> {
            Set<Boolean> kinds = then.get(id);
            (kinds.size() > 1 ? uncertain : kinds.contains(true) ? deleted : restored).put(id, at);
        });
        return new Latest(deleted, restored, uncertain);
    }

    /** Asks amoCRM which uncertain items are listed (alive, so restored last) and which are not (deleted last). */
    private <R> Uni<Latest> settled(EntityRun<R> run, Latest latest) {
        if (latest.uncertain().isEmpty()) {
            return Uni.createFrom().item(latest);
        }
        List<Long> ids = latest.uncertain().keySet().stream().map(Long::valueOf).sorted().toList();
        return listed(run, ids).map(listed -> {
            Map<String, Long> deleted = new HashMap<>(latest.deleted());
            Map<String, Long> restored = new HashMap<>(latest.restored());
            latest.uncertain().forEach((id, at) -> (listed.contains(Long.valueOf(id)) ? restored : deleted).put(id, at));
            return new Latest(deleted, restored, Map.of());
        });
    }

    /** Which of these ids amoCRM lists now, asked by id, 50 at a time. */
    private <R> Uni<Set<Long>> listed(EntityRun<R> run, List<Long> ids) {
        var scanner = run.scanner(client, 1, control::checkNotStopping);
        return Multi.createFrom().iterable(ChangedEntities.chunks(ids))
                .onItem().transformToUniAndConcatenate(scanner::listedIds)
                .onItem().transformToIterable(listed -> listed)
                .collect().asSet();
    }

    /** What a full sync learns is gone: the bin, and the sweep of rows its scan did not read. */
    private <R> Uni<Void> gone(Sink sink, RunProgress progress, EntityRun<R> run, long to) {
        Deletions deletions = run.entity().deletions();
        Optional<ItemList> list = run.entity().list();
        if (list.isEmpty() || !deletions.bin() && !deletions.sweep()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Map<String, Long>> found = deletions.bin() ? bin(list.get(), to) : sweep(progress, run, to);
        return found.chain(gone -> sink.gone(run, gone))
                .invoke(flagged -> progress.deletions(run.entity(), flagged, 0))
                .replaceWithVoid();
    }

    /**
     * The rows alive in the table that the full scan did not read, looked up by id: those amoCRM does not list are
     * gone (deleted, or out of this user's sight), dated at the run's bound.
     */
    private <R> Uni<Map<String, Long>> sweep(RunProgress progress, EntityRun<R> run, long to) {
        Set<Long> read = progress.seenAlive(run.entity());
        return Panache.withSession(() -> tables.alive(run.entity().table()))
                .map(alive -> alive.stream().map(Long::valueOf).filter(id -> !read.contains(id)).sorted().toList())
                .chain(unread -> unread.isEmpty() ? Uni.createFrom().item(Set.<Long> of())
                        : listed(run, unread)
                                .map(listed -> {
                                    Set<Long> missing = new HashSet<>(unread);
                                    missing.removeAll(listed);
                                    return missing;
                                }))
                .map(missing -> {
                    Map<String, Long> gone = new HashMap<>();
                    missing.forEach(id -> gone.put(Long.toString(id), to));
                    return gone;
                });
    }

    /**
     * Every item in the bin is deleted, whatever the event log (which amoCRM keeps for a limited time) says. Paged by
     * id, so only a deletion or restoration while it is paged shifts it: passes are read until one finds nothing new.
     */
    private Uni<Map<String, Long>> bin(ItemList list, long to) {
        Map<String, Long> inBin = new HashMap<>();
        AtomicInteger passes = new AtomicInteger();
        return Multi.createBy().repeating()
                .uni(() -> binPass(list, inBin, to))
                .whilst(added -> added > 0 && passes.incrementAndGet() < BIN_PASSES)
                .onItem().ignoreAsUni()
                .replaceWith(inBin);
    }

    /** One pass over the bin; returns how many items it added. */
    private Uni<Integer> binPass(ItemList list, Map<String, Long> inBin, long to) {
        AtomicInteger page = new AtomicInteger();
        AtomicInteger added = new AtomicInteger();
        int limit = client.pageSize();
        return Multi.createBy().repeating()
                .uni(() -> Uni.createFrom().deferred(() -> {
                    control.checkNotStopping();
                    return client.list(EntityQuery.deleted(list.path(), page.incrementAndGet(), limit));
                }))
                .whilst(answer -> answer.items(list.key()).size() == limit)
                .onItem().invoke(answer -> binned(answer, list).forEach(item -> {
                    if (inBin.put(Long.toString(item.id()), to) == null) {
                        added.incrementAndGet();
                    }
                }))
                .onItem().ignoreAsUni()
                .map(done -> added.get());
    }

    private static List<Keyed> binned(EntityPage answer, ItemList list) {
        return new ArrayList<>(Keyed.split(answer.items(list.key())).keyed());
    }
}
