package dev.amocrmsync.scan;

import java.util.List;

import dev.amocrmsync.store.Quarantined;
import io.smallrye.mutiny.Uni;

/** Turns one page of an entity into rows, for one run. */
public interface RowMapper<R> {

    /** The rows of a page, and the items set aside with the reason. */
    record Mapped<R>(List<R> rows, List<Quarantined> quarantined) {
    }

    Uni<Mapped<R>> map(List<Keyed> items);

    /** At the end of a run that wrote: keep what the mapping learned (leads: status names). */
    default Uni<Void> close() {
        return Uni.createFrom().voidItem();
    }
}
