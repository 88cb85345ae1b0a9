package dev.amocrmsync.store;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** {@code oauth_tokens}: the integration's token pair, encrypted by the caller. */
@ApplicationScoped
public class OAuthTokenStore {

    /** The stored row; tokens as encrypted text, expiry in unix seconds. */
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
            VALUES (1, :accountUrl, :clientId, :accessToken, :refreshToken, to_timestamp(:expiresAt), now())
            ON CONFLICT (id) DO UPDATE SET account_url = EXCLUDED.account_url, client_id = EXCLUDED.client_id,
                access_token = EXCLUDED.access_token, refresh_token = EXCLUDED.refresh_token,
                expires_at = EXCLUDED.expires_at, refreshed_at = now()""";

    public Uni<Optional<Stored>> load() {
        return read(LOAD);
    }

    /**
     * The row, locked until the caller's transaction ends: every process that wants to refresh waits here, and finds
     * the pair the first one stored.
     */
    public Uni<Optional<Stored>> lockForRefresh() {
        return read(LOAD + " FOR UPDATE");
    }

    public Uni<Void> save(Stored tokens) {
        return Panache.getSession().chain(session -> session.createNativeQuery(SAVE)
                .setParameter("accountUrl", tokens.accountUrl()).setParameter("clientId", tokens.clientId())
                .setParameter("accessToken", tokens.accessToken()).setParameter("refreshToken", tokens.refreshToken())
                .setParameter("expiresAt", tokens.expiresAt()).executeUpdate())
                .replaceWithVoid();
    }

    private Uni<Optional<Stored>> read(String sql) {
        return Panache.getSession()
                .chain(session -> session.<Object[]> createNativeQuery(sql).getSingleResultOrNull())
                .map(row -> Optional.ofNullable(row).map(r -> new Stored((String) r[0], (String) r[1], (String) r[2],
                        (String) r[3], ((Number) r[4]).longValue())));
    }
}
