package dev.amocrmsync.catalog;

import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * {@code amocrm_catalogs}: per catalog or derived view, the hash of what was last read or built and when it was last
 * read (epoch seconds, the database's clock).
 */
@ApplicationScoped
public class CatalogStateStore {

    public record State(String hash, long checkedAt) {
    }

    private static final String LOAD = """
            SELECT catalog, content_hash, CAST(floor(extract(epoch FROM checked_at)) AS bigint) FROM amocrm_catalogs""";
    private static final String SAVE = """
            INSERT INTO amocrm_catalogs AS c (catalog, content_hash, checked_at, changed_at)
            VALUES (:catalog, :hash, now(), now())
            ON CONFLICT (catalog) DO UPDATE SET content_hash = EXCLUDED.content_hash, checked_at = now(),
                changed_at = CASE WHEN c.content_hash = EXCLUDED.content_hash THEN c.changed_at ELSE now() END
            """;

    public Uni<Map<String, State>> load() {
        return Panache.getSession().chain(session -> session.<Object[]> createNativeQuery(LOAD).getResultList())
                .map(rows -> rows.stream().collect(Collectors.toMap(row -> (String) row[0],
                        row -> new State((String) row[1], ((Number) row[2]).longValue()))));
    }

    /** Records that this catalog was read (or this view built) now with this content. Callers provide the transaction. */
    public Uni<Void> save(String catalog, String hash) {
        return Panache.getSession().chain(session -> session.createNativeQuery(SAVE).setParameter("catalog", catalog)
                .setParameter("hash", hash).executeUpdate()).replaceWithVoid();
    }
}
