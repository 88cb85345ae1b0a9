package dev.amocrmsync.auth;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.amocrmsync.amocrm.AccountUrl;
import dev.amocrmsync.amocrm.AmoCrmClock;
import dev.amocrmsync.amocrm.AmoCrmConfig;
import dev.amocrmsync.amocrm.RequestBudget;
import dev.amocrmsync.amocrm.ServerDate;
import dev.amocrmsync.config.InvalidSettingsException;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;

/**
 * The OAuth token pair over its life: exchanged once from an authorization code, then refreshed shortly before the
 * access token expires and once after a 401.
 * <p>
 * A refresh token works once, and amoCRM spends it the moment it answers. So a refresh holds the token row's lock from
 * reading the old pair to storing the new one (a process that waited for the lock uses the pair the other stored),
 * everything that could fail is ready before amoCRM is asked (the connection, the lock, the cipher), the new pair is
 * written on the connection that already holds the lock before it is ever used, and if that write fails the pair is
 * written again on a fresh connection, by compare-and-set on the refresh token it replaced (a newer pair stored
 * meanwhile wins). A process whose refresh amoCRM refuses reads the row again for a few seconds and takes a newer pair
 * found there (the one such a retried write brings) before it gives up. A stop request waits for a refresh in flight. What no
 * code can close is a
 * {@code kill -9} in the milliseconds between amoCRM's answer and the commit.
 */
@ApplicationScoped
public class OAuthTokens {

    /** Decrypted tokens; never printed. Expiry in unix seconds of amoCRM's clock. */
    record Tokens(String access, String refresh, long expiresAt) {
        @Override
        public String toString() {
            return "Tokens[expires " + expiresAt + "]";
        }
    }

    private static final int STORE_ATTEMPTS = 6;
    private static final Duration STORE_RETRY_DELAY = Duration.ofSeconds(2);
    private static final Duration STOP_WAITS_FOR_REFRESH = Duration.ofSeconds(20);
    private static final Duration ADOPT_WITHIN = Duration.ofSeconds(5);
    private static final Duration ADOPT_POLL = Duration.ofMillis(250);

    private final OAuthConfig config;
    private final AmoCrmConfig amoCrm;
    private final OAuthTokenStore store;
    private final AmoCrmClock clock;
    private final RequestBudget budget;
    private final AtomicReference<Uni<Tokens>> refreshing = new AtomicReference<>();
    private volatile TokenCipher cipher;
    private volatile OAuthApi api;
    private volatile Tokens cached;

    OAuthTokens(OAuthConfig config, AmoCrmConfig amoCrm, OAuthTokenStore store, AmoCrmClock clock,
            RequestBudget budget) {
        this.budget = budget;
        this.config = config;
        this.amoCrm = amoCrm;
        this.store = store;
        this.clock = clock;
    }

    /** Whether a token pair is stored; refuses one issued for another account than the configured one. */
    public Uni<Boolean> stored() {
        return store.load().map(stored -> {
            stored.ifPresent(this::requireThisAccount);
            return stored.isPresent();
        });
    }

    /** Trades an authorization code (valid 20 minutes) for a token pair and stores it. */
    public Uni<Instant> authorize(String code) {
        requireConfigured();
        TokenCipher ready = cipher();
        return token(OAuthApi.TokenRequest.code(config.clientId().get(), config.clientSecret().get(), code.strip(),
                redirectUri()))
                .map(this::tokens)
                .call(tokens -> store.save(encrypt(ready, tokens)))
                .invoke(tokens -> cached = tokens)
                .map(tokens -> Instant.ofEpochSecond(tokens.expiresAt()));
    }

    /**
     * The access token to send, refreshed first when it expires soon by amoCRM's clock. Until amoCRM has answered
     * this process once, its clock is unknown and the host's may be minutes off: the stored token is sent as it is,
     * and a 401 refreshes it (at most one extra request per process, instead of a refresh on every skewed start).
     */
    public Uni<String> accessToken() {
        Tokens current = cached;
        if (current == null) {
            return load().chain(stored -> stored == null ? refresh(null).map(Tokens::access) : accessToken());
        }
        if (clock.now().isEmpty() || !expiresSoon(current)) {
            return Uni.createFrom().item(current.access());
        }
        return refresh(null).map(Tokens::access);
    }

    /**
     * The access token this process holds now, newest first, without refreshing or reading anything: for a request
     * already let go by the budget. Null before one is loaded.
     */
    public String heldAccessToken() {
        Tokens current = cached;
        return current == null ? null : current.access();
    }

    /** The stored pair, read without the lock; null when none is stored. */
    private Uni<Tokens> load() {
        requireConfigured();
        TokenCipher ready = cipher();
        return store.load().map(stored -> stored.map(row -> {
            requireThisAccount(row);
            Tokens tokens = decrypt(ready, row);
            cached = tokens;
            return tokens;
        }).orElse(null));
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
        TokenCipher ready = cipher();
        AtomicReference<Tokens> issued = new AtomicReference<>();
        AtomicReference<OAuthTokenStore.Stored> spent = new AtomicReference<>();
        return store.renewLocked(row -> {
            OAuthTokenStore.Stored stored = row.orElseThrow(() -> new OAuthRefused("No OAuth tokens are stored."
                    + " Authorize once: amocrm-sync oauth --code <code>"));
            requireThisAccount(stored);
            Tokens current = decrypt(ready, stored);
            // a pair renewed by someone else since is used as it is, unless it too is about to expire
            boolean alreadyRenewed = (rejected == null || !current.access().equals(rejected)) && !expiresSoon(current);
            if (alreadyRenewed) {
                return Uni.createFrom().item(stored);
            }
            spent.set(stored);
            return token(OAuthApi.TokenRequest.refresh(config.clientId().get(), config.clientSecret().get(),
                    current.refresh(), redirectUri()))
                    .onFailure(OAuthRefused.class).transform(refused -> new OAuthRefused(refused.getMessage()
                            + ". The refresh token was used already or is older than 3 months: authorize the"
                            + " integration again (a new authorization code, then amocrm-sync oauth --code <code>)"))
                    .map(this::tokens)
                    .invoke(issued::set)
                    .map(fresh -> encrypt(ready, fresh));
        })
                .map(stored -> decrypt(ready, stored))
                .onFailure(failure -> issued.get() != null)
                .recoverWithUni(failure -> storeIssued(ready, spent.get(), issued.get(), failure))
                .onFailure(failure -> failure instanceof OAuthRefused && issued.get() == null && spent.get() != null)
                .recoverWithUni(refused -> adoptNewer(ready, spent.get(), (OAuthRefused) refused))
                .invoke(tokens -> {
                    if (tokens.equals(issued.get())) {
                        Log.infof("OAuth tokens refreshed; the access token is valid until %s",
                                Instant.ofEpochSecond(tokens.expiresAt()));
                    }
                });
    }

    /**
     * amoCRM spent the old refresh token and issued {@code fresh}, but the transaction that was to store it failed (the
     * connection died): the new pair is the only one left, so it is written again on fresh connections before use.
     */
    private Uni<Tokens> storeIssued(TokenCipher ready, OAuthTokenStore.Stored replaced, Tokens fresh,
            Throwable failure) {
        Log.warnf("amoCRM issued new OAuth tokens but storing them failed (%s); trying again on a new connection",
                failure.getMessage());
        return store.replace(replaced, encrypt(ready, fresh))
                .onFailure().retry().withBackOff(STORE_RETRY_DELAY).atMost(STORE_ATTEMPTS)
                .onFailure().transform(lost -> new OAuthRefused("amoCRM issued new OAuth tokens, but the database did"
                        + " not take them (" + lost.getMessage() + "), and the old refresh token is spent. Once the"
                        + " database is back, authorize the integration again: amocrm-sync oauth --code <code>"))
                .chain(stored -> stored ? Uni.createFrom().item(fresh) : store.load().map(row -> {
                    // a newer pair was stored meanwhile (a new authorization): it wins, ours is left to expire
                    Log.info("A newer OAuth token pair was stored meanwhile: using it");
                    return decrypt(ready, row.orElseThrow());
                }));
    }

    /**
     * amoCRM refused the refresh token this process sent: another process may have spent it a moment earlier and be
     * storing the pair it got (its commit failed and it writes again on a new connection). The row is read again for
     * {@link #ADOPT_WITHIN}, and a newer pair found there is used instead of stopping (exit 4).
     */
    private Uni<Tokens> adoptNewer(TokenCipher ready, OAuthTokenStore.Stored spent, OAuthRefused refused) {
        Log.infof("amoCRM refused the refresh token; waiting up to %d s for a pair another process may be storing",
                ADOPT_WITHIN.toSeconds());
        return Uni.createFrom().deferred(() -> store.load())
                .map(row -> row.filter(stored -> !stored.refreshToken().equals(spent.refreshToken())).orElse(null))
                .onItem().ifNull().failWith(() -> refused)
                .onFailure(failure -> failure == refused).retry().withBackOff(ADOPT_POLL, ADOPT_POLL).withJitter(0)
                .atMost(ADOPT_WITHIN.toMillis() / ADOPT_POLL.toMillis())
                .map(newer -> {
                    requireThisAccount(newer);
                    Log.info("Another process had refreshed the OAuth tokens: using the pair it stored");
                    return decrypt(ready, newer);
                });
    }

    /** A stop request (SIGTERM) lets a refresh in flight store its pair: otherwise the pair amoCRM issued is lost. */
    void onStop(@Observes ShutdownEvent event) {
        Uni<Tokens> inFlight = refreshing.get();
        if (inFlight != null) {
            Log.info("Stop requested while OAuth tokens are being refreshed: waiting for the new pair to be stored");
            try {
                inFlight.await().atMost(STOP_WAITS_FOR_REFRESH);
            } catch (RuntimeException e) {
                Log.warnf("The OAuth refresh in flight did not finish: %s", e.getMessage());
            }
        }
    }

    /**
     * Whether the pair expires within the refresh margin by the latest amoCRM's clock may read now (the estimate errs
     * early, right for cursors, wrong for an expiry); by the host's clock only when amoCRM's is still unknown.
     */
    private boolean expiresSoon(Tokens tokens) {
        return tokens.expiresAt() * 1000 - clock.latestOrHost().toEpochMilli() <= config.refreshBefore().toMillis();
    }

    /**
     * The pair amoCRM answered, expiring {@code expires_in} after the request was sent by amoCRM's clock at the earliest:
     * amoCRM issued it later than that, so the token lives at least until then.
     */
    private Tokens tokens(TokenAnswer answer) {
        OAuthApi.TokenResponse response = answer.response();
        if (response.accessToken() == null || response.refreshToken() == null) {
            throw new OAuthRefused("amoCRM's token endpoint answered without a token pair");
        }
        return new Tokens(response.accessToken(), response.refreshToken(), answer.askedAt() + response.expiresIn());
    }

    private void requireThisAccount(OAuthTokenStore.Stored stored) {
        String configured = AccountUrl.of(amoCrm).toString();
        if (!sameAccount(stored.accountUrl(), configured)) {
            throw new InvalidSettingsException("The OAuth tokens stored in this database were issued for "
                    + stored.accountUrl() + ", but the configured account is " + configured
                    + " (AMOCRM_SUBDOMAIN / AMOCRM_BASE_URL). Point DATABASE_URL at that account's database, or"
                    + " authorize this account: amocrm-sync oauth --code <code>");
        }
    }

    private static boolean sameAccount(String stored, String configured) {
        return strip(stored).equalsIgnoreCase(strip(configured));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private OAuthTokenStore.Stored encrypt(TokenCipher ready, Tokens tokens) {
        return new OAuthTokenStore.Stored(AccountUrl.of(amoCrm).toString(), config.clientId().get(),
                ready.encrypt("access_token", tokens.access()), ready.encrypt("refresh_token", tokens.refresh()),
                tokens.expiresAt());
    }

    private static Tokens decrypt(TokenCipher ready, OAuthTokenStore.Stored stored) {
        return new Tokens(ready.decrypt("access_token", stored.accessToken()),
                ready.decrypt("refresh_token", stored.refreshToken()), stored.expiresAt());
    }

    private String redirectUri() {
        return config.redirectUri().map(URI::toString).orElse(null);
    }

    private TokenCipher cipher() {
        TokenCipher current = cipher;
        if (current == null) {
            current = new TokenCipher(config.clientId().get(), config.clientSecret().get());
            cipher = current;
        }
        return current;
    }

    /**
     * A request to the account's token endpoint, within the account's request budget like any other: amoCRM may count
     * it against the same limit.
     */
    private Uni<TokenAnswer> token(OAuthApi.TokenRequest request) {
        return budget.acquireUntilWritten().chain(() -> {
            long askedAt = clock.nowOrHost().getEpochSecond();
            return api().token(request).map(response -> new TokenAnswer(response, askedAt));
        });
    }

    /** The token endpoint's answer, and amoCRM's time (at the earliest, unix seconds) when it was asked. */
    private record TokenAnswer(OAuthApi.TokenResponse response, long askedAt) {
    }

    private OAuthApi api() {
        OAuthApi current = api;
        if (current == null) {
            current = QuarkusRestClientBuilder.newBuilder().baseUri(AccountUrl.of(amoCrm))
                    .connectTimeout(amoCrm.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .readTimeout(amoCrm.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .register(new ServerDate(clock))
                    .httpClientRequestCustomizer(budget.departures())
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
