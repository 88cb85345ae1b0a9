package dev.amocrmsync.amocrm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.testing.Arrivals;
import dev.amocrmsync.testing.TestConfigs;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

/**
 * The budget of a process without a database (the session service) against amoCRM's strict rule: at most 7 requests
 * inside any sliding second, counted at arrival, with the network's jitter of ±25 ms on the way in.
 */
class PacedRequestsTest {

    private static Vertx vertx;
    private static SimulatorServer simulator;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        simulator = SimulatorServer.start(vertx, new SimulatedAccount(1), "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        simulator.close();
        vertx.close();
    }

    @Test
    void theDefaultPaceNeverEarnsA429FromTheStrictWindowDespiteJitter() {
        SimulatedAccount account = new SimulatedAccount(1);
        account.faults().rateCeiling(7).arrivalJitter(Duration.ofMillis(25));
        simulator.serve(account).acceptOnly(null);
        AmoCrmConfig config = new TestConfigs.AmoCrm(Optional.empty(), Optional.of(simulator.url()), Optional.empty(),
                6.0, Duration.ofSeconds(10));
        RequestBudget budget = new RequestBudget(config, vertx);
        WebClient client = WebClient.create(vertx);

        // one request alone, as a run starts (its answer proves the credentials), then four callers at once, as the
        // sync's parallel windows and the deletion reads are
        Uni<?> one = budget.acquire().chain(() -> Uni.createFrom().completionStage(() -> client
                .get(simulator.port(), "127.0.0.1", "/api/v4/leads/pipelines").bearerTokenAuthentication("t")
                .send().toCompletionStage()));
        one.await().atMost(Duration.ofSeconds(10));
        Multi.createFrom().range(1, 60).onItem().transformToUni(i -> one).merge(4)
                .collect().asList().await().atMost(Duration.ofSeconds(60));

        assertThat(simulator.stats().requests()).isEqualTo(60);
        assertThat(simulator.stats().withStatus(429)).as("%s", simulator.stats().recentRequests()).isZero();
        assertThat(Arrivals.busiestSecond(simulator.stats().timeline())).isLessThanOrEqualTo(7);
        assertThat(Arrivals.rate(simulator.stats().timeline())).isBetween(5.0, 6.7);
        client.close();
    }
}
