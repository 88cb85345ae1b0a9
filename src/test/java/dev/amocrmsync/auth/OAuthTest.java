package dev.amocrmsync.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
    void aProcessRefusedAtRefreshAdoptsThePairAnotherProcessStoresMomentsLater() throws Exception {
        oauth.expiresIn(3);
        authorize();
        oauth.expiresIn(86_400);
        Thread.sleep(1_200);
        // another process refreshed with the stored refresh token and lost its commit: it is writing its pair again
        TokenCipher cipher = new TokenCipher(CLIENT_ID, CLIENT_SECRET);
        JsonNode theirs = spend(cipher.decrypt("refresh_token", (String) db.value("SELECT refresh_token FROM oauth_tokens")));
        int refused = oauth.refused();
        CompletableFuture<Void> theirLateWrite = CompletableFuture.runAsync(() -> {
            awaitCondition(() -> oauth.refused() > refused);
            db.update("UPDATE oauth_tokens SET access_token = ?, refresh_token = ?, expires_at = now() + interval '1 day'",
                    cipher.encrypt("access_token", theirs.path("access_token").asText()),
                    cipher.encrypt("refresh_token", theirs.path("refresh_token").asText()));
        });

        String access = await(() -> tokens.refreshUnderLock(null).map(t -> t.access()));

        theirLateWrite.get();
        assertThat(oauth.refused()).as("this process sent the spent token").isEqualTo(refused + 1);
        assertThat(access).as("and took the pair the other stored instead of stopping")
                .isEqualTo(theirs.path("access_token").asText());
        assertThat(run().outcome()).isEqualTo(SyncReport.Outcome.SUCCEEDED);
    }

    /** Spends a refresh token at the token endpoint, as another process would; the pair amoCRM issued. */
    private static JsonNode spend(String refreshToken) throws Exception {
        String body = new ObjectMapper().createObjectNode().put("client_id", CLIENT_ID).put("client_secret", CLIENT_SECRET)
                .put("grant_type", "refresh_token").put("refresh_token", refreshToken)
                .put("redirect_uri", "https://example.test/amocrm/callback").toString();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                SimulatorResource.server().url().resolve("/oauth2/access_token"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(answer.body());
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
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
