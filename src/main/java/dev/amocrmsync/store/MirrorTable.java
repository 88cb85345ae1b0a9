package dev.amocrmsync.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.smallrye.mutiny.Uni;

/**
 * A table that mirrors one amoCRM entity: rows keyed by the amoCRM id, newest version wins, never deleted, flagged
 * when amoCRM deletes. Ids travel as text, as {@code amocrm_deals} keeps them. Callers provide the transaction.
 */
public interface MirrorTable<R> {

    /** The row's amoCRM id. */
    String id(R row);

    /** Writes a page in one statement, and the links of every row it wrote. */
    Uni<PageWrite> upsert(List<R> rows);

    /** Flags these ids deleted at the given unix seconds, unless a newer version is held; how many rows changed. */
    Uni<Integer> markDeleted(Map<String, Long> deletedAt);

    /** Clears the flag of ids restored at the given unix seconds; how many rows changed. */
    Uni<Integer> markRestored(Map<String, Long> restoredAt);

    /** Clears the flag of these ids, read alive by a full sync; how many rows changed. */
    Uni<Integer> markAlive(Collection<String> ids);

    /** Which of these ids the table holds already (a dry run's new/updated counts). */
    Uni<Set<String>> existing(Collection<String> ids);

    /** What the table holds, in one query. */
    Uni<Held> held();

    /**
     * @param newest the newest {@code updated_at} held, empty when no row has one
     * @param rows whether the table holds any row: rows the original script wrote may have no {@code updated_at}
     */
    record Held(Optional<Long> newest, boolean rows) {

        static Held of(Object[] columns) {
            return new Held(Optional.ofNullable((Long) columns[0]), (Boolean) columns[1]);
        }
    }
}
