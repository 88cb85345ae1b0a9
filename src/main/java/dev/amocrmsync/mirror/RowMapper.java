package dev.amocrmsync.mirror;

import java.util.List;

import io.smallrye.mutiny.Uni;

/** Turns one page of an entity into rows, for one run. */
public interface RowMapper<R> {

    /** The rows of a page, and the items set aside with the reason. */
    record Mapped<R>(List<R> rows, List<Quarantined> quarantined) {
    }

    Uni<Mapped<R>> map(List<Keyed> items);

    /**
     * A mapping done on a worker thread: the CPU work leaves the event loop, which parses every answer and serializes
     * every commit; the scanner comes back to the run's context after it.
     */
    static <R> RowMapper<R> onWorker(java.util.function.Function<List<Keyed>, Mapped<R>> map) {
        return items -> Uni.createFrom().item(() -> map.apply(items))
                .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool());
    }

    /** The mapping of an entity that reads no list. */
    static <R> RowMapper<R> none() {
        return items -> Uni.createFrom().item(new Mapped<>(List.of(), List.of()));
    }

    /** At the end of a run that wrote: keep what the mapping learned (leads: status names). */
    default Uni<Void> close() {
        return Uni.createFrom().voidItem();
    }
}
