package dev.amocrmsync.mirror;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Runs a {@link Table}'s statements in the caller's reactive session; callers provide the transaction. The same code
 * for every mirrored entity: a page is one statement whatever its size, then the links of the rows it wrote.
 */
@ApplicationScoped
public class MirrorTables {

    // rows and cursor commit together, so a PostgreSQL crash loses only the newest pages with their cursor, which the
    // next run reads again: the fsync of every page commit buys nothing
    private static final String RELAXED_COMMIT = "SET LOCAL synchronous_commit TO off";

    private final ObjectMapper json;

    MirrorTables(ObjectMapper json) {
        this.json = json;
    }

    /** Writes a page in one statement, and the links of every row it wrote. */
    public <R> Uni<PageWrite> upsert(Table<R> table, List<R> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(PageWrite.NOTHING);
        }
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(RELAXED_COMMIT).executeUpdate()
                        .chain(() -> session.<Object[]> createNativeQuery(table.upsert())
                                .setParameter("rows", HashedRows.of(json, rows)).getResultList()))
                .map(MirrorTables::pageWrite)
                .call(write -> afterWrite(table, write));
    }

    private static PageWrite pageWrite(List<Object[]> written) {
        List<String> inserted = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        for (Object[] row : written) {
            (Boolean.TRUE.equals(row[1]) ? updated : inserted).add((String) row[0]);
        }
        return new PageWrite(inserted, updated);
    }

    private Uni<Void> afterWrite(Table<?> table, PageWrite write) {
        if (table.afterWrite().isEmpty() || write.inserted().isEmpty() && write.updated().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> ids = new ArrayList<>(write.inserted());
        ids.addAll(write.updated());
        String parameter = JsonParameter.of(json, ids);
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String statement : table.afterWrite()) {
            chain = chain.chain(() -> Panache.getSession().chain(session -> session.createNativeQuery(statement)
                    .setParameter("ids", parameter).executeUpdate())).replaceWithVoid();
        }
        return chain;
    }

    /** Flags these ids deleted at the given unix seconds, unless a newer version is held; how many rows changed. */
    public Uni<Integer> markDeleted(Table<?> table, Map<String, Long> deletedAt) {
        return update(table.markDeleted(), "changes", deletedAt, deletedAt.isEmpty());
    }

    /** Clears the flag of ids restored at the given unix seconds; how many rows changed. */
    public Uni<Integer> markRestored(Table<?> table, Map<String, Long> restoredAt) {
        return update(table.markRestored(), "changes", restoredAt, restoredAt.isEmpty());
    }

    /** Flags ids amoCRM says are gone now (the bin, a sweep), dated no earlier than their version. */
    public Uni<Integer> markGone(Table<?> table, Map<String, Long> goneAt) {
        return update(table.markGone(), "changes", goneAt, goneAt.isEmpty());
    }

    /** Clears the flag of these ids, read alive by a full sync; how many rows changed. */
    public Uni<Integer> markAlive(Table<?> table, Collection<String> ids) {
        return update(table.markAlive(), "ids", ids, ids.isEmpty());
    }

    /** Which of these ids the table holds already (a dry run's new/updated counts). */
    public Uni<Set<String>> existing(Table<?> table, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return Panache.getSession()
                .chain(session -> session.<String> createNativeQuery(table.existing())
                        .setParameter("ids", JsonParameter.of(json, ids)).getResultList())
                .map(Set::copyOf);
    }

    /** The ids of the rows not flagged deleted. */
    public Uni<List<String>> alive(Table<?> table) {
        return Panache.getSession().chain(session -> session.<String> createNativeQuery(table.alive()).getResultList());
    }

    /** What the table holds, in one query. */
    public Uni<Table.Held> held(Table<?> table) {
        return Panache.getSession()
                .chain(session -> session.<Object[]> createNativeQuery(table.held()).getSingleResult())
                .map(Table.Held::of);
    }

    private Uni<Integer> update(String statement, String parameter, Object value, boolean empty) {
        if (empty) {
            return Uni.createFrom().item(0);
        }
        return Panache.getSession().chain(session -> session.createNativeQuery(statement)
                .setParameter(parameter, JsonParameter.of(json, value)).executeUpdate());
    }
}
