package dev.amocrmsync.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.OAuthServer;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.sync.SyncReport;
import dev.amocrmsync.sync.SyncRequest;
import dev.amocrmsync.sync.SyncService;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;

/** OAuth 2.0 with single-use refresh tokens, against the simulated account's token endpoint. */
@QuarkusTest
@TestProfile(OAuthTest.OAuthMode.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(value = SimulatorResource.class, initArgs = @ResourceArg(name = "mode", value = "oauth"))
class OAuthTest {

    static final String CLIENT_ID = "amocrm-sync-tests";
    static final String CLIENT_SECRET = UUID.randomUUID().toString();

    public static class OAuthMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("amocrm.oauth.client-id", CLIENT_ID, "amocrm.oauth.client-secret", CLIENT_SECRET,
                    "amocrm.oauth.redirect-uri", "https://example.test/amocrm/callback",
                    "amocrm.oauth.refresh-before", "2s");
        }
    }

    private static OAuthServer oauth;

    @Inject
    OAuthTokens tokens;

    @Inject
    SyncService sync;

    @Inject
    DataSource dataSource;

    Db db;
    SimulatedAccount account;

    @BeforeEach
    void freshAccount() {
        db = new Db(dataSource);
        db.reset();
        db.update("DELETE FROM oauth_tokens");
        account = SimulatorResource.serve(SimulatedAccount.withLeads(121, 300, Duration.ofDays(1)));
        SimulatorResource.server().acceptOnly(UUID.randomUUID().toString());
        if (oauth == null) {
            oauth = OAuthServer.install(SimulatorResource.server(), CLIENT_ID, CLIENT_SECRET);
        }
        oauth.expiresIn(86_400);
    }

    @Test
    void anAuthorizationCodeBecomesStoredEncryptedTokensTheSyncUses() {
        authorize();

        Map<String, Object> row = db.rows("SELECT access_token, refresh_token FROM oauth_tokens").get(0);
        assertThat((String) row.get("access_token")).doesNotContain("access-");
        assertThat((String) row.get("refresh_token")).doesNotContain("refresh-");

        SyncReport report = run();

        assertThat(report.outcome()).isEqualTo(SyncReport.Outcome.SUCCEEDED);
        assertThat(db.value("SELECT access_mode FROM sync_runs")).isEqualTo("oauth");
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aCodeWorksOnlyOnce() {
        String code = oauth.issueCode();
        await(() -> tokens.authorize(code));

        assertThatThrownBy(() -> await(() -> tokens.authorize(code))).isInstanceOf(OAuthRefused.class)
                .hasMessageContaining("HTTP 400");
    }

    @Test
    void theAccessTokenIsRefreshedShortlyBeforeItExpires() throws InterruptedException {
        oauth.expiresIn(3);
        authorize();
        oauth.expiresIn(86_400);
        int before = oauth.refreshes();
        Thread.sleep(1_200);

        run();

        assertThat(oauth.refreshes()).isEqualTo(before + 1);
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aRefusedAccessTokenIsRefreshedOnceAndTheCallRepeated() {
        authorize();
        int before = oauth.refreshes();
        oauth.expireAccessTokens();

        run();

        assertThat(oauth.refreshes()).isEqualTo(before + 1);
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void twoRefreshesAtOnceSpendTheRefreshTokenOnlyOnce() throws Exception {
        oauth.expiresIn(3);
        authorize();
        oauth.expiresIn(86_400);
        Thread.sleep(1_200);
        int refreshes = oauth.refreshes();
        int refused = oauth.refused();

        // two separate transactions, as two processes would run them: the row lock makes the second wait and reuse
        List<CompletableFuture<String>> racing = List.of(
                CompletableFuture.supplyAsync(() -> await(() -> tokens.refreshUnderLock(null).map(t -> t.access()))),
                CompletableFuture.supplyAsync(() -> await(() -> tokens.refreshUnderLock(null).map(t -> t.access()))));

        assertThat(racing.get(0).get()).isEqualTo(racing.get(1).get());
        assertThat(oauth.refreshes()).isEqualTo(refreshes + 1);
        assertThat(oauth.refused()).as("no revoked refresh token was sent").isEqualTo(refused);
    }

    @Test
    void aDeadRefreshTokenSaysHowToAuthorizeAgain() throws InterruptedException {
        oauth.expiresIn(3);
        authorize();
        oauth.revokeRefreshTokens();
        Thread.sleep(1_200);

        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental())))
                .isInstanceOf(OAuthRefused.class)
                .hasMessageContaining("Token has been revoked")
                .hasMessageContaining("amocrm-sync oauth --code");
    }

    private void authorize() {
        await(() -> tokens.authorize(oauth.issueCode()));
    }

    private SyncReport run() {
        return await(() -> sync.run(SyncRequest.incremental()));
    }

    private static <T> T await(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
