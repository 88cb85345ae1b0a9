package dev.amocrmsync.sync;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.amocrm.EventsPage;
import dev.amocrmsync.mirror.Batch;
import dev.amocrmsync.mirror.EventLog;
import dev.amocrmsync.scan.Plan;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * A run's one read of amoCRM's event log, for every entity at once: the deletions and restorations of the entities
 * whose tables have rows (kept for the run's closing, which applies them), and the entries of event-log entities
 * (status changes), committed page by page as they come. One read of {@code [from, upper]} under the run's frozen
 * bound, {@code from} the earliest any of them needs, split among as many scans at once as a list's windows
 * ({@link EventRanges}); every request asks for all their types, so a quiet run spends one request on the log whatever
 * the number of entities.
 */
final class EventLogRead {

    private final List<EntityRun<?>> deletable;
    private final List<EntityRun<?>> logged;
    private final Set<String> types = new LinkedHashSet<>();
    private final long from;
    private final long upper;
    // each entity's events of its deletion types, as read: few, and applied by the run's closing
    private final Map<String, List<EventsPage.Event>> deletions = new ConcurrentHashMap<>();

    EventLogRead(List<EntityRun<?>> runs, long upper) {
        this.upper = upper;
        this.deletable = runs.stream().filter(run -> run.entity().deletions().readsEvents()
                && run.decision().readsEvents()).toList();
        this.logged = runs.stream().filter(run -> run.entity().events().isPresent() && !run.decision().plans().isEmpty())
                .toList();
        deletable.forEach(run -> types.addAll(run.entity().deletions().types()));
        logged.forEach(run -> types.addAll(run.entity().events().get().types()));
        long earliest = upper + 1;
        for (EntityRun<?> run : deletable) {
            earliest = Math.min(earliest, Math.min(run.decision().eventsFrom(), upper));
        }
        for (EntityRun<?> run : logged) {
            earliest = Math.min(earliest, run.decision().plans().get(0).from());
        }
        this.from = earliest;
    }

    /** Whether the log is read at all this run. */
    boolean reads() {
        return !types.isEmpty() && from <= upper;
    }

    /**
     * The log's writes: each event-log entity's plans frozen, its entries page by page, its plans completed once the
     * whole range is read. The deletion events are kept for {@link #deletions(EntityRun)}.
     */
    Multi<Write> writes(AmoCrmClient client, int parallelism, Runnable beforeRequest, Sink sink) {
        if (!reads()) {
            return Multi.createFrom().empty();
        }
        EventRanges ranges = new EventRanges(new EventScan(from, upper), parallelism);
        String filter = String.join(",", types);
        Multi<List<EventsPage.Event>> pages = ranges.scans().onItem()
                .transformToMulti(scan -> Multi.createBy().repeating()
                        .uni(() -> Uni.createFrom().deferred(() -> {
                            beforeRequest.run();
                            EventScan.Request next = scan.next();
                            return client.events(filter, next.from(), next.to(), next.page())
                                    .map(page -> scan.accept(next, page.events()));
                        }).invoke(page -> ranges.afterPage(scan)))
                        .whilst(page -> !scan.done()))
                .merge(ranges.parallelism());
        Multi<Write> starts = Multi.createFrom().iterable(logged).onItem()
                .transformToIterable(run -> run.decision().plans().stream()
                        .filter(Plan::advancesCursor).filter(plan -> !plan.resumed())
                        .<Write> map(plan -> () -> sink.planStarted(run, plan)).toList());
        Multi<Write> entries = pages.onItem().transformToIterable(page -> {
            keepDeletions(page);
            List<Write> writes = new ArrayList<>();
            for (EntityRun<?> run : logged) {
                Batch<?> batch = entries(run, page);
                if (batch.items() > 0) {
                    writes.add(() -> commit(sink, run, batch));
                }
            }
            return writes;
        });
        Multi<Write> completes = Multi.createFrom().iterable(logged).onItem()
                .transformToIterable(run -> run.decision().plans().stream().filter(Plan::advancesCursor)
                        .<Write> map(plan -> () -> sink.planCompleted(run, plan)).toList());
        return Multi.createBy().concatenating().streams(starts, entries, completes);
    }

    @SuppressWarnings("unchecked")
    private static <R> Uni<Void> commit(Sink sink, EntityRun<R> run, Batch<?> batch) {
        Batch<R> typed = (Batch<R>) batch;
        return sink.page(run, typed, false).replaceWithVoid();
    }

    private void keepDeletions(List<EventsPage.Event> page) {
        for (EntityRun<?> run : deletable) {
            List<String> kinds = run.entity().deletions().types();
            List<EventsPage.Event> mine = page.stream().filter(event -> kinds.contains(event.type()))
                    .filter(event -> run.entity().deletions().itemOf().apply(event).isPresent()).toList();
            if (!mine.isEmpty()) {
                deletions.computeIfAbsent(run.name(), name -> java.util.Collections.synchronizedList(new ArrayList<>()))
                        .addAll(mine);
            }
        }
    }

    private static <R> Batch<R> entries(EntityRun<R> run, List<EventsPage.Event> page) {
        EventLog<R> log = run.entity().events().get();
        List<R> rows = new ArrayList<>();
        for (EventsPage.Event event : page) {
            if (!log.types().contains(event.type())) {
                continue;
            }
            Optional<R> row = log.row().apply(event);
            if (row.isPresent()) {
                rows.add(row.get());
            } else {
                Log.warnf("%s: event %s (%s of %s %s) says nothing this table can keep; left out", run.name(),
                        event.id(), event.type(), event.entityType(), event.entityId());
            }
        }
        return new Batch<>(null, rows, List.of());
    }

    /** The deletion events read for this entity. */
    List<EventsPage.Event> deletions(EntityRun<?> run) {
        return deletions.getOrDefault(run.name(), List.of());
    }
}
