package dev.amocrmsync.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.simulator.Stats;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import dev.amocrmsync.webhook.WebhookProcessor;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;

/** With amoCRM's real ceiling of 7 requests/second, parallel windows never earn a 429. */
@QuarkusTest
@TestProfile(RequestBudgetTest.ProductionLimits.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class RequestBudgetTest {

    public static class ProductionLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("amocrm.requests-per-second", "7");
        }
    }

    @Inject
    SyncService sync;

    @Inject
    DataSource dataSource;

    @Inject
    Serving serving;

    @Inject
    WebhookProcessor webhooks;

    @Test
    void aBurstOfWebhooksIsReadInBatchesWithinTheLimit() throws Throwable {
        serving.start();
        Db db = new Db(dataSource);
        db.reset();
        db.update("DELETE FROM amocrm_webhook_events");
        SimulatorServer simulator = SimulatorResource.server();
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(82, 300, Duration.ofDays(1)));
        account.faults().rateCeiling(7);
        for (long id : account.liveLeads().keySet()) {
            given().contentType("application/x-www-form-urlencoded").body("leads[add][0][id]=" + id + "&account[id]=1")
                    .post("/webhooks/amocrm/test-hook").then().statusCode(200);
        }

        int applied = VertxContextSupport.subscribeAndAwait(() -> webhooks.applyPending());

        assertThat(applied).isEqualTo(300);
        assertThat(simulator.stats().toPath("/api/v4/leads")).as("50 leads per request").isEqualTo(6);
        assertThat(simulator.stats().withStatus(429)).isZero();
        List<Stats.Request> timeline = simulator.stats().timeline();
        for (int i = 1; i < timeline.size(); i++) {
            assertThat(timeline.get(i).at() - timeline.get(i - 1).at()).isGreaterThanOrEqualTo(1000 / 7 - 10);
        }
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void parallelWindowsStayWithinTheAccountsLimit() throws Throwable {
        Db db = new Db(dataSource);
        db.reset();
        SimulatorServer simulator = SimulatorResource.server();
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(81, 5_000, Duration.ofDays(5)));
        account.faults().rateCeiling(7).latency(Duration.ofMillis(100));

        VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental()));

        List<Stats.Request> timeline = simulator.stats().timeline();
        assertThat(timeline).hasSizeGreaterThan(21);
        assertThat(simulator.stats().withStatus(429)).isZero();
        // The budget spaces requests when they leave; a new connection can delay one on the way, so arrivals may
        // bunch by one spacing. Nine within a second would mean the budget itself let a burst through.
        for (int i = 8; i < timeline.size(); i++) {
            assertThat(timeline.get(i).at() - timeline.get(i - 8).at())
                    .as("9 requests never fit in one second: %s", timeline.subList(i - 8, i + 1))
                    .isGreaterThanOrEqualTo(1000);
        }
        long spanMillis = timeline.get(timeline.size() - 1).at() - timeline.get(0).at();
        assertThat((timeline.size() - 1) * 1000.0 / spanMillis).as("requests per second over the run").isLessThanOrEqualTo(7.0);
        Mirror.assertDatabaseEquals(db, account);
    }
}
