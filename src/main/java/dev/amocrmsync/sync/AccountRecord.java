package dev.amocrmsync.sync;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** {@code sync_account}: the amoCRM account this schema mirrors, recorded once. */
@ApplicationScoped
public class AccountRecord {

    /** The recorded account, and the schema it is recorded in. */
    public record Mirrored(String schema, String accountUrl, Long accountId, String subdomain) {
    }

    private static final String RECORD = """
            INSERT INTO sync_account (id, account_url, account_id, subdomain) VALUES (1, :url, :id, :subdomain)
            ON CONFLICT (id) DO NOTHING""";
    private static final String READ = """
            SELECT current_schema(), account_url, account_id, subdomain FROM sync_account WHERE id = 1""";

    /** The account recorded for this schema, if any run has. */
    public Uni<Optional<Mirrored>> read() {
        return recordOnce(null, null, null, false);
    }

    /**
     * The account recorded for this schema; records the given one first when none is ({@code record} false: only
     * reads, as a dry run writes nothing).
     */
    public Uni<Optional<Mirrored>> recordOnce(String url, Long id, String subdomain, boolean record) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> (record
                ? session.createNativeQuery(RECORD).setParameter("url", url).setParameter("id", id)
                        .setParameter("subdomain", subdomain).executeUpdate()
                : Uni.createFrom().item(0))
                .chain(() -> session.<Object[]> createNativeQuery(READ).getSingleResultOrNull())))
                .map(row -> Optional.ofNullable(row).map(r -> new Mirrored((String) r[0], (String) r[1],
                        r[2] == null ? null : ((Number) r[2]).longValue(), (String) r[3])));
    }
}
