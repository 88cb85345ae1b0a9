package dev.amocrmsync.auth;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code oauth_tokens}: the integration's token pair, encrypted by the caller. Works on connections of its own, passed
 * explicitly, never on a Hibernate Reactive session: a refresh holds the row lock across a call to amoCRM, and the
 * REST client answers on another Vert.x context, where a session bound to the first one is not found.
 */
@ApplicationScoped
public class OAuthTokenStore {

    /** The stored row; tokens as encrypted text, expiry in unix seconds (amoCRM's clock). */
    public record Stored(String accountUrl, String clientId, String accessToken, String refreshToken, long expiresAt) {

        @Override
        public String toString() {
            return "Stored[" + accountUrl + ", expires " + expiresAt + "]";
        }
    }

    private static final String LOAD = """
            SELECT account_url, client_id, access_token, refresh_token, CAST(extract(epoch FROM expires_at) AS bigint)
            FROM oauth_tokens WHERE id = 1""";
    private static final String SAVE = """
            INSERT INTO oauth_tokens (id, account_url, client_id, access_token, refresh_token, expires_at, refreshed_at)
            VALUES (1, $1, $2, $3, $4, to_timestamp(CAST($5 AS bigint)), now())
            ON CONFLICT (id) DO UPDATE SET account_url = EXCLUDED.account_url, client_id = EXCLUDED.client_id,
                access_token = EXCLUDED.access_token, refresh_token = EXCLUDED.refresh_token,
                expires_at = EXCLUDED.expires_at, refreshed_at = now()""";

    // compare-and-set: the pair replaces the one whose refresh token it was issued for, never a newer one
    private static final String REPLACE = """
            UPDATE oauth_tokens SET account_url = $1, client_id = $2, access_token = $3, refresh_token = $4,
                expires_at = to_timestamp(CAST($5 AS bigint)), refreshed_at = now()
            WHERE id = 1 AND refresh_token = $6""";

    // resolved on first use: without a configured database the pool bean is inactive
    private final Instance<Pool> pool;

    OAuthTokenStore(Instance<Pool> pool) {
        this.pool = pool;
    }

    public Uni<Optional<Stored>> load() {
        return pool.get().withConnection(connection -> read(connection, LOAD));
    }

    /**
     * Runs {@code renew} on the stored pair while holding the row's lock, and stores the pair it returns in the same
     * transaction (returning the pair it was given stores nothing). Every process that wants to refresh waits here and
     * finds the pair the first one stored: a refresh token works once.
     */
    public Uni<Stored> renewLocked(Function<Optional<Stored>, Uni<Stored>> renew) {
        return pool.get().withTransaction(connection -> read(connection, LOAD + " FOR UPDATE")
                .chain(current -> renew.apply(current)
                        .call(next -> current.filter(next::equals).isPresent() ? Uni.createFrom().voidItem()
                                : current.isEmpty() ? write(connection, next)
                                        : replace(connection, current.get(), next).invoke(replaced -> {
                                            if (!replaced) {
                                                throw new IllegalStateException("the OAuth token row changed under its"
                                                        + " lock");
                                            }
                                        }))));
    }

    /** Stores the pair in a transaction of its own, whatever the row held (a new authorization). */
    public Uni<Void> save(Stored tokens) {
        return pool.get().withTransaction(connection -> write(connection, tokens));
    }

    /**
     * Stores {@code next} in a transaction of its own in place of {@code replaced}, only while the row still holds
     * {@code replaced}'s refresh token; whether it did. False means another process stored a newer pair meanwhile.
     */
    public Uni<Boolean> replace(Stored replaced, Stored next) {
        return pool.get().withTransaction(connection -> replace(connection, replaced, next));
    }

    private static Uni<Boolean> replace(SqlClient connection, Stored replaced, Stored next) {
        return connection.preparedQuery(REPLACE).execute(Tuple.from(List.of(next.accountUrl(), next.clientId(),
                next.accessToken(), next.refreshToken(), next.expiresAt(), replaced.refreshToken())))
                .map(rows -> rows.rowCount() == 1);
    }

    private static Uni<Void> write(SqlClient connection, Stored tokens) {
        return connection.preparedQuery(SAVE).execute(Tuple.of(tokens.accountUrl(), tokens.clientId(),
                tokens.accessToken(), tokens.refreshToken(), tokens.expiresAt())).replaceWithVoid();
    }

    private static Uni<Optional<Stored>> read(SqlClient connection, String sql) {
        return connection.query(sql).execute().map(OAuthTokenStore::first);
    }

    private static Optional<Stored> first(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new Stored(row.getString(0), row.getString(1), row.getString(2), row.getString(3),
                row.getLong(4)));
    }
}
