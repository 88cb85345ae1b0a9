package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.OAuthServer;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.Seconds;
import dev.amocrmsync.testing.ShiftedClock;
import dev.amocrmsync.testing.TestDatabase;
import io.vertx.core.Vertx;

/**
 * OAuth as it lives in production, where access tokens expire between runs and refresh tokens work once: every
 * refresh happens in a fresh process, concurrent processes spend a refresh token once, and {@code serve} keeps the
 * pair alive while its syncs run. amoCRM's clock is off the host's, and its tokens live seconds.
 */
class OAuthRefreshIT {

    private static final Duration EXIT = Duration.ofSeconds(90);
    private static final String CLIENT_ID = "integration";

    private final String clientSecret = "fake-client-secret-" + UUID.randomUUID();
    private Vertx vertx;
    private Db db;
    private SimulatedAccount account;
    private SimulatorServer simulator;
    private OAuthServer oauth;
    private Map<String, String> settings;

    @BeforeEach
    void authorized() {
        db = TestDatabase.emptied();
        vertx = Vertx.vertx();
        account = SimulatedAccount.withLeads(181, 300, Duration.ofDays(1), new ShiftedClock(Duration.ofMinutes(-7)));
        simulator = SimulatorServer.start(vertx, account, "127.0.0.1", 0).acceptOnly(UUID.randomUUID().toString());
        oauth = OAuthServer.install(simulator, CLIENT_ID, clientSecret);
        settings = new HashMap<>(Map.of("DATABASE_URL", PostgresResource.databaseUrl(),
                "AMOCRM_BASE_URL", simulator.url().toString(), "AMOCRM_CLIENT_ID", CLIENT_ID,
                "AMOCRM_CLIENT_SECRET", clientSecret, "AMOCRM_REDIRECT_URI", "https://example.test/callback",
                "AMOCRM_OAUTH_REFRESH_BEFORE", "1s"));
        oauth.expiresIn(3);
        PackagedApp authorize = PackagedApp.start(settings, "oauth", "--code", oauth.issueCode());
        assertThat(authorize.exitCode(EXIT)).as(authorize.output()).isZero();
    }

    @AfterEach
    void close() {
        simulator.close();
        vertx.close();
    }

    @Test
    void aFreshProcessRefreshesAnExpiredTokenAndStoresTheNewPair() {
        oauth.expiresIn(6);
        awaitExpiry(3);
        PackagedApp first = PackagedApp.start(settings);
        assertThat(first.exitCode(EXIT)).as(first.output()).isZero();
        assertThat(first.output()).contains("OAuth tokens refreshed").doesNotContain("access-")
                .doesNotContain("refresh-").doesNotContain(clientSecret);
        // a pair lives 6 s: a first sync that reads the history too may outlive it and refresh again on its way
        int refreshedByTheFirst = oauth.refreshes();
        assertThat(refreshedByTheFirst).isPositive();
        Mirror.assertDatabaseEquals(db, account);

        awaitExpiry(6);
        account.editRandom(20);
        Seconds.awaitNext();
        PackagedApp second = PackagedApp.start(settings);
        assertThat(second.exitCode(EXIT)).as(second.output()).isZero();
        assertThat(oauth.refreshes()).as("the second process used the pair the first one stored")
                .isGreaterThan(refreshedByTheFirst);
        assertThat(oauth.refused()).isZero();
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void twoProcessesRefreshingAtOnceSpendTheRefreshTokenOnce() {
        oauth.expiresIn(120);
        awaitExpiry(3);
        PackagedApp sync = PackagedApp.start(settings);
        PackagedApp dryRun = PackagedApp.start(settings, "--dry-run");

        assertThat(sync.exitCode(EXIT)).as(sync.output()).isZero();
        assertThat(dryRun.exitCode(EXIT)).as(dryRun.output()).isZero();
        assertThat(oauth.refused()).as("no process sent a spent refresh token").isZero();
        assertThat(oauth.refreshes()).isEqualTo(1);
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void serveKeepsThePairAliveWhileItsSyncsRun() {
        settings.put("AMOCRM_SYNC_CRON", "0/2 * * * * ?");
        settings.put("AMOCRM_OAUTH_KEEP_ALIVE_EVERY", "1s");
        settings.put("QUARKUS_HTTP_PORT", "0");
        settings.put("QUARKUS_MANAGEMENT_PORT", "0");
        PackagedApp serve = PackagedApp.start(settings, "serve");
        String beforeStop;
        try {
            PackagedApp.await("several tokens refreshed", EXIT, () -> oauth.refreshes() >= 4);
            account.editRandom(30);
            int refreshed = oauth.refreshes();
            PackagedApp.await("a scheduled sync after the edits", EXIT, () -> oauth.refreshes() > refreshed + 1
                    && Mirror.equals(db, account));
        } finally {
            beforeStop = serve.output();
            serve.terminate();
        }
        assertThat(serve.exitCode(EXIT)).as(serve.output()).isIn(0, 143);
        assertThat(oauth.refused()).as(serve.output()).isZero();
        // (a scheduled run that SIGTERM interrupts logs itself as failed: only what came before the stop counts)
        assertThat(beforeStop).doesNotContain("Sync failed").doesNotContain("could not be kept fresh");
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aProcessRefusedAtRefreshAdoptsThePairAnotherStoresMomentsLater() {
        oauth.expiresIn(120);
        awaitExpiry(3);
        Map<String, Object> spentPair = db.rows("SELECT access_token, refresh_token, expires_at FROM oauth_tokens").get(0);
        PackagedApp other = PackagedApp.start(settings);
        assertThat(other.exitCode(EXIT)).as(other.output()).isZero();
        Map<String, Object> itsPair = db.rows("SELECT access_token, refresh_token, expires_at FROM oauth_tokens").get(0);
        // as if the other process's commit had been lost: the row holds the spent pair while it writes its own again
        store(spentPair);
        int refused = oauth.refused();

        PackagedApp late = PackagedApp.start(settings);
        PackagedApp.await("amoCRM refused the spent refresh token", EXIT, () -> oauth.refused() > refused);
        store(itsPair);

        assertThat(late.exitCode(EXIT)).as(late.output()).isZero();
        assertThat(late.output()).contains("Another process had refreshed the OAuth tokens: using the pair it stored");
        assertThat(oauth.refreshes()).as("the refresh token was spent once").isEqualTo(1);
        Mirror.assertDatabaseEquals(db, account);
    }

    private void store(Map<String, Object> pair) {
        db.update("UPDATE oauth_tokens SET access_token = ?, refresh_token = ?, expires_at = ?", pair.get("access_token"),
                pair.get("refresh_token"), pair.get("expires_at"));
    }

    @Test
    void aDeadRefreshTokenExitsFourWithHowToAuthorizeAgain() {
        awaitExpiry(3);
        oauth.revokeRefreshTokens();
        PackagedApp sync = PackagedApp.start(settings);
        assertThat(sync.exitCode(EXIT)).as(sync.output()).isEqualTo(4);
        assertThat(sync.output()).contains("Token has been revoked").contains("oauth --code");
    }

    @Test
    void tokensStoredForAnotherAccountAreRefused() {
        settings.put("AMOCRM_BASE_URL", "http://localhost:" + simulator.port());
        PackagedApp sync = PackagedApp.start(settings);
        assertThat(sync.exitCode(EXIT)).as(sync.output()).isEqualTo(2);
        assertThat(sync.output()).contains("were issued for " + simulator.url()).contains("oauth --code");
        assertThat(oauth.refreshes()).isZero();
    }

    /** Waits until a pair issued just now with this lifetime has expired by amoCRM's clock. */
    private void awaitExpiry(int lifetimeSeconds) {
        long issuedUntil = account.now() + lifetimeSeconds;
        PackagedApp.await("the access token expired", Duration.ofSeconds(10), () -> account.now() > issuedUntil);
    }
}
