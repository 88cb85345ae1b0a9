package dev.amocrmsync.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.amocrmsync.amocrm.AmoCrmConfig;
import dev.amocrmsync.amocrm.RequestBudget;
import dev.amocrmsync.amocrm.RequestSlots;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.simulator.Stats;
import dev.amocrmsync.testing.Arrivals;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import dev.amocrmsync.testing.TestConfigs;
import dev.amocrmsync.webhook.WebhookProcessor;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.client.WebClient;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * Against amoCRM's strict rule (at most 7 requests inside any sliding second, counted at arrival, 429 as an HTML page),
 * the default pace never earns a 429, shares the account with a second process, and learns a lower limit.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestProfile(RequestBudgetTest.ProductionLimits.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class RequestBudgetTest {

    public static class ProductionLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the deals and their parties: the pace is what is tested, and the status history of 5,000 leads would
            // only add a minute of the same requests to every case
            return Map.of("amocrm.requests-per-second", "6.25", "amocrm.sync.entities", "leads,contacts,companies");
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
    @Order(2) // after a sync: the webhook processor calls amoCRM with the access a run activates
    void aBurstOfWebhooksIsReadInBatchesWithinTheLimit() throws Throwable {
        serving.start();
        Db db = new Db(dataSource);
        db.reset();
        db.update("DELETE FROM amocrm_webhook_events");
        SimulatorServer simulator = SimulatorResource.server();
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(82, 300, Duration.ofDays(1)));
        account.faults().rateCeiling(7);
        for (long id : account.liveLeads().keySet()) {
            given().contentType("application/x-www-form-urlencoded")
                    .body("leads[add][0][id]=" + id + "&account[id]=" + account.accountId())
                    .post("/webhooks/amocrm/test-hook").then().statusCode(200);
        }

        int applied = VertxContextSupport.subscribeAndAwait(() -> webhooks.applyPending());

        assertThat(applied).isEqualTo(300);
        assertThat(simulator.stats().toPath("/api/v4/leads")).as("50 leads per request").isEqualTo(6);
        assertThat(simulator.stats().withStatus(429)).isZero();
        assertThat(Arrivals.busiestSecond(simulator.stats().timeline())).isLessThanOrEqualTo(7);
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    @Order(1)
    void parallelWindowsNeverEarnA429DespiteJitter() throws Throwable {
        Db db = new Db(dataSource);
        db.reset();
        SimulatorServer simulator = SimulatorResource.server();
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(81, 5_000, Duration.ofDays(5)));
        account.faults().rateCeiling(7).latency(Duration.ofMillis(100)).arrivalJitter(Duration.ofMillis(25));

        SyncReport report = VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental()));

        List<Stats.Request> timeline = simulator.stats().timeline();
        assertThat(timeline).hasSizeGreaterThan(21);
        assertThat(simulator.stats().withStatus(429)).as("%s", simulator.stats().recentRequests()).isZero();
        assertThat(Arrivals.busiestSecond(timeline)).isLessThanOrEqualTo(7);
        assertThat(Arrivals.rate(timeline)).as("requests per second at the account").isLessThanOrEqualTo(6.7);
        assertThat(report.requestsPerSecond()).as("the effective rate the run reports, waits for answers included")
                .isBetween(1.0, 6.7);
        Mirror.assertDatabaseEquals(db, account);
    }

    /**
     * A second process on the same account and database (serve re-fetching webhooks while the CronJob syncs), played by
     * a budget on a Vert.x and a pool of its own: both take their slots from the account's row, so together they stay
     * at the one pace.
     */
    @Test
    @Order(3)
    void aSecondProcessOnTheAccountSharesItsBudget() throws Throwable {
        Db db = new Db(dataSource);
        db.reset();
        SimulatorServer simulator = SimulatorResource.server();
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(82, 5_000, Duration.ofDays(5)));
        account.faults().rateCeiling(7).latency(Duration.ofMillis(100)).arrivalJitter(Duration.ofMillis(25));
        io.vertx.mutiny.core.Vertx otherVertx = io.vertx.mutiny.core.Vertx.vertx();
        Pool otherPool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
                .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(PostgresResource.port())
                        .setDatabase("postgres").setUser("postgres"))
                .using(otherVertx).build();
        AmoCrmConfig config = new TestConfigs.AmoCrm(Optional.empty(), Optional.of(simulator.url()), Optional.empty(), 6,
                Duration.ofSeconds(10));
        RequestBudget other = new RequestBudget(config, otherVertx.getDelegate(), RequestSlots.on(otherPool));
        WebClient client = WebClient.create(otherVertx.getDelegate());
        AtomicBoolean syncDone = new AtomicBoolean();
        AtomicInteger otherRequests = new AtomicInteger();
        CompletableFuture<Void> otherDone = Multi.createBy().repeating()
                .uni(() -> other.acquire().chain(() -> Uni.createFrom().completionStage(() -> client
                        .get(simulator.port(), "127.0.0.1", "/api/v4/leads/pipelines")
                        .bearerTokenAuthentication(SimulatorResource.TOKEN).send().toCompletionStage()))
                        .invoke(otherRequests::incrementAndGet))
                .whilst(answer -> !syncDone.get())
                .collect().last().replaceWithVoid().subscribeAsCompletionStage();

        try {
            VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental()));
        } finally {
            syncDone.set(true);
            otherDone.get(30, TimeUnit.SECONDS);
            client.close();
            otherPool.closeAndAwait();
            otherVertx.closeAndAwait();
        }

        List<Stats.Request> timeline = simulator.stats().timeline();
        assertThat(otherRequests.get()).as("the second process was talking throughout").isGreaterThan(5);
        assertThat(timeline.size() - otherRequests.get()).as("the sync's requests").isGreaterThan(15);
        assertThat(simulator.stats().withStatus(429)).as("%s", simulator.stats().recentRequests()).isZero();
        assertThat(Arrivals.busiestSecond(timeline)).isLessThanOrEqualTo(7);
        assertThat(Arrivals.rate(timeline)).as("both processes together").isLessThanOrEqualTo(6.7);
        Mirror.assertDatabaseEquals(db, account);
    }

    /** Configured for 6.25/s on an account that allows 3: a few 429s (HTML, no Retry-After), then the pace holds. */
    @Test
    @Order(4) // last: the pace it leaves behind is the learned one
    void aLowerLimitIsLearnedFromHtml429s() throws Throwable {
        Db db = new Db(dataSource);
        db.reset();
        SimulatorServer simulator = SimulatorResource.server();
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(83, 5_000, Duration.ofDays(5)));
        account.faults().rateCeiling(3).latency(Duration.ofMillis(100)).arrivalJitter(Duration.ofMillis(25));

        VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental()));

        List<Stats.Request> timeline = simulator.stats().timeline();
        List<Stats.Request> secondHalf = timeline.subList(timeline.size() / 2, timeline.size());
        assertThat(simulator.stats().withStatus(429)).as("%s", simulator.stats().recentRequests()).isBetween(1L, 8L);
        assertThat(secondHalf).as("no 429 once the pace is learned").noneMatch(request -> request.status() == 429);
        Mirror.assertDatabaseEquals(db, account);
    }
}
