package dev.amocrmsync.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * A mirror table whose statements come from its {@link EntityTableSql}: contacts and companies. After an upsert, the
 * links of every row written are replaced from what the row holds, in the same transaction.
 */
abstract class EntityTable<R> implements MirrorTable<R> {

    // rows and cursor commit together, so a PostgreSQL crash loses only the newest pages with their cursor
    private static final String RELAXED_COMMIT = "SET LOCAL synchronous_commit TO off";

    private final ObjectMapper json;
    private final EntityTableSql sql;
    private final String upsert;
    private final List<String> replaceLinks;

    /**
     * @param replaceLinks statements that replace the links of the rows whose ids are in {@code :ids} (a JSON array)
     */
    EntityTable(ObjectMapper json, EntityTableSql sql, List<String> replaceLinks) {
        this.json = json;
        this.sql = sql;
        this.upsert = sql.upsert();
        this.replaceLinks = replaceLinks;
    }

    @Override
    public Uni<PageWrite> upsert(List<R> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(PageWrite.NOTHING);
        }
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(RELAXED_COMMIT).executeUpdate()
                        .chain(() -> session.<Object[]> createNativeQuery(upsert)
                                .setParameter("rows", HashedRows.of(json, rows)).getResultList()))
                .map(EntityTable::pageWrite)
                .call(write -> links(write));
    }

    static PageWrite pageWrite(List<Object[]> written) {
        List<String> inserted = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        for (Object[] row : written) {
            (Boolean.TRUE.equals(row[1]) ? updated : inserted).add((String) row[0]);
        }
        return new PageWrite(inserted, updated);
    }

    private Uni<Void> links(PageWrite write) {
        if (replaceLinks.isEmpty() || write.inserted().isEmpty() && write.updated().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> ids = new ArrayList<>(write.inserted());
        ids.addAll(write.updated());
        String parameter = JsonParameter.of(json, ids);
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String statement : replaceLinks) {
            chain = chain.chain(() -> Panache.getSession().chain(session -> session.createNativeQuery(statement)
                    .setParameter("ids", parameter).executeUpdate())).replaceWithVoid();
        }
        return chain;
    }

    @Override
    public Uni<Integer> markDeleted(Map<String, Long> deletedAt) {
        return update(sql.markDeleted(), "changes", deletedAt, deletedAt.isEmpty());
    }

    @Override
    public Uni<Integer> markRestored(Map<String, Long> restoredAt) {
        return update(sql.markRestored(), "changes", restoredAt, restoredAt.isEmpty());
    }

    @Override
    public Uni<Integer> markAlive(Collection<String> ids) {
        return update(sql.markAlive(), "ids", ids, ids.isEmpty());
    }

    @Override
    public Uni<Set<String>> existing(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return Panache.getSession()
                .chain(session -> session.<String> createNativeQuery(sql.existing())
                        .setParameter("ids", JsonParameter.of(json, ids)).getResultList())
                .map(Set::copyOf);
    }

    @Override
    public Uni<Held> held() {
        return Panache.getSession()
                .chain(session -> session.<Object[]> createNativeQuery(sql.held()).getSingleResult())
                .map(Held::of);
    }

    private Uni<Integer> update(String statement, String parameter, Object value, boolean empty) {
        if (empty) {
            return Uni.createFrom().item(0);
        }
        return Panache.getSession().chain(session -> session.createNativeQuery(statement)
                .setParameter(parameter, JsonParameter.of(json, value)).executeUpdate());
    }
}
