package dev.amocrmsync.auth;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.AccountUrl;
import dev.amocrmsync.amocrm.AmoCrmConfig;
import dev.amocrmsync.config.InvalidSettingsException;
import dev.amocrmsync.store.OAuthTokenStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;

/**
 * The OAuth token pair over its life: exchanged once from an authorization code, then refreshed shortly before the
 * access token expires and once after a 401. A refresh token works once, so a refresh holds the token row's lock from
 * reading the old pair to storing the new one, and a process that waited for the lock uses the pair the other stored
 * instead of refreshing again. The new pair is stored before it is ever used.
 */
@ApplicationScoped
public class OAuthTokens {

    /** Decrypted tokens; never printed. */
    record Tokens(String access, String refresh, long expiresAt) {
        @Override
        public String toString() {
            return "Tokens[expires " + expiresAt + "]";
        }
    }

    private final OAuthConfig config;
    private final AmoCrmConfig amoCrm;
    private final OAuthTokenStore store;
    private final Clock clock;
    private final AtomicReference<Uni<Tokens>> refreshing = new AtomicReference<>();
    private volatile TokenCipher cipher;
    private volatile OAuthApi api;
    private volatile Tokens cached;

    OAuthTokens(OAuthConfig config, AmoCrmConfig amoCrm, OAuthTokenStore store, Clock clock) {
        this.config = config;
        this.amoCrm = amoCrm;
        this.store = store;
        this.clock = clock;
    }

    /** Whether a token pair is stored. */
    public Uni<Boolean> stored() {
        return Panache.withSession(store::load).map(Optional::isPresent);
    }

    /** Trades an authorization code (valid 20 minutes) for a token pair and stores it. */
    public Uni<Instant> authorize(String code) {
        requireConfigured();
        OAuthConfig c = config;
        return api().token(new OAuthApi.TokenRequest(c.clientId().get(), c.clientSecret().get(), "authorization_code",
                code.strip(), null, c.redirectUri().map(URI::toString).orElse(null)))
                .map(this::tokens)
                .call(tokens -> Panache.withTransaction(() -> store.save(encrypt(tokens))))
                .invoke(tokens -> cached = tokens)
                .map(tokens -> Instant.ofEpochSecond(tokens.expiresAt()));
    }

    /** The access token to send, refreshed first when it expires soon. */
    public Uni<String> accessToken() {
        Tokens current = cached;
        if (current != null && !expiresSoon(current)) {
            return Uni.createFrom().item(current.access());
        }
        return refresh(null).map(Tokens::access);
    }

    /** After amoCRM refused {@code rejected}: a refreshed token (or the one another process refreshed meanwhile). */
    public Uni<String> renewAfterRejection(String rejected) {
        return refresh(rejected).map(Tokens::access);
    }

    private Uni<Tokens> refresh(String rejected) {
        Uni<Tokens> shared = Uni.createFrom().deferred(() -> refreshUnderLock(rejected))
                .invoke(tokens -> cached = tokens)
                .eventually(() -> refreshing.set(null))
                .memoize().indefinitely();
        Uni<Tokens> running = refreshing.compareAndExchange(null, shared);
        return running != null ? running : shared;
    }

    /** Reads the pair under the row lock and refreshes only if nobody else already did. */
    Uni<Tokens> refreshUnderLock(String rejected) {
        requireConfigured();
        return Panache.withTransaction(() -> store.lockForRefresh().chain(row -> {
            OAuthTokenStore.Stored stored = row.orElseThrow(() -> new OAuthRefused("No OAuth tokens are stored."
                    + " Authorize once: amocrm-sync oauth --code <code>"));
            Tokens current = decrypt(stored);
            boolean alreadyRenewed = rejected != null ? !current.access().equals(rejected) : !expiresSoon(current);
            if (alreadyRenewed) {
                return Uni.createFrom().item(current);
            }
            OAuthConfig c = config;
            return api().token(new OAuthApi.TokenRequest(c.clientId().get(), c.clientSecret().get(), "refresh_token",
                    null, current.refresh(), c.redirectUri().map(URI::toString).orElse(null)))
                    .onFailure(OAuthRefused.class).transform(refused -> new OAuthRefused(refused.getMessage()
                            + ". The refresh token was used already or is older than 3 months: authorize the"
                            + " integration again (a new authorization code, then amocrm-sync oauth --code <code>)"))
                    .map(this::tokens)
                    .call(fresh -> store.save(encrypt(fresh)))
                    .invoke(fresh -> Log.infof("OAuth tokens refreshed; the access token is valid until %s",
                            Instant.ofEpochSecond(fresh.expiresAt())));
        }));
    }

    private boolean expiresSoon(Tokens tokens) {
        return tokens.expiresAt() - clock.instant().getEpochSecond() <= config.refreshBefore().toSeconds();
    }

    private Tokens tokens(OAuthApi.TokenResponse response) {
        if (response.accessToken() == null || response.refreshToken() == null) {
            throw new OAuthRefused("amoCRM's token endpoint answered without a token pair");
        }
        return new Tokens(response.accessToken(), response.refreshToken(),
                clock.instant().getEpochSecond() + response.expiresIn());
    }

    private OAuthTokenStore.Stored encrypt(Tokens tokens) {
        return new OAuthTokenStore.Stored(AccountUrl.of(amoCrm).toString(), config.clientId().get(),
                cipher().encrypt("access_token", tokens.access()), cipher().encrypt("refresh_token", tokens.refresh()),
                tokens.expiresAt());
    }

    private Tokens decrypt(OAuthTokenStore.Stored stored) {
        return new Tokens(cipher().decrypt("access_token", stored.accessToken()),
                cipher().decrypt("refresh_token", stored.refreshToken()), stored.expiresAt());
    }

    private TokenCipher cipher() {
        TokenCipher current = cipher;
        if (current == null) {
            current = new TokenCipher(config.clientId().get(), config.clientSecret().get());
            cipher = current;
        }
        return current;
    }

    private OAuthApi api() {
        OAuthApi current = api;
        if (current == null) {
            current = QuarkusRestClientBuilder.newBuilder().baseUri(AccountUrl.of(amoCrm))
                    .connectTimeout(amoCrm.connectTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .readTimeout(amoCrm.readTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .build(OAuthApi.class);
            api = current;
        }
        return current;
    }

    private void requireConfigured() {
        if (!config.configured()) {
            throw new InvalidSettingsException("Set AMOCRM_CLIENT_ID and AMOCRM_CLIENT_SECRET (and AMOCRM_REDIRECT_URI)"
                    + " of the amoCRM integration for OAuth");
        }
    }
}
