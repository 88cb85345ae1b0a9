package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.OAuthServer;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.TestDatabase;
import io.vertx.core.Vertx;

/** Authorizing once with {@code oauth --code}, then syncing with the stored tokens, as an operator would. */
class OAuthCommandIT {

    private static final Duration EXIT = Duration.ofSeconds(90);

    @Test
    void authorizeOnceThenEveryRunUsesTheStoredTokens() {
        Db db = TestDatabase.emptied();
        SimulatedAccount account = SimulatedAccount.withLeads(141, 200, Duration.ofDays(1));
        SimulatorServer simulator = SimulatorServer.start(Vertx.vertx(), account, "127.0.0.1", 0)
                .acceptOnly(UUID.randomUUID().toString());
        String clientSecret = UUID.randomUUID().toString();
        OAuthServer oauth = OAuthServer.install(simulator, "integration", clientSecret);
        String code = oauth.issueCode();
        Map<String, String> settings = new HashMap<>(Map.of("DATABASE_URL", PostgresResource.databaseUrl(),
                "AMOCRM_BASE_URL", simulator.url().toString(), "AMOCRM_CLIENT_ID", "integration",
                "AMOCRM_CLIENT_SECRET", clientSecret, "AMOCRM_REDIRECT_URI", "https://example.test/callback"));
        try {
            PackagedApp authorize = PackagedApp.start(settings, "oauth", "--code", code);
            assertThat(authorize.exitCode(EXIT)).as(authorize.output()).isZero();
            assertThat(authorize.output()).contains("Authorized: OAuth tokens stored (encrypted)")
                    .doesNotContain("access-").doesNotContain("refresh-").doesNotContain(clientSecret);

            PackagedApp sync = PackagedApp.start(settings);
            assertThat(sync.exitCode(EXIT)).as(sync.output()).isZero();
            assertThat(sync.output()).contains("amoCRM sync — OAuth, " + simulator.url());
            Mirror.assertDatabaseEquals(db, account);

            PackagedApp again = PackagedApp.start(settings, "oauth", "--code", code);
            assertThat(again.exitCode(EXIT)).isEqualTo(4);
            assertThat(again.output()).contains("amoCRM refused the OAuth request (HTTP 400");
        } finally {
            simulator.close();
        }
    }
}
