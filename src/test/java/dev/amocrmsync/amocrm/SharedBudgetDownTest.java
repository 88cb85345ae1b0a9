package dev.amocrmsync.amocrm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.testing.Arrivals;
import dev.amocrmsync.testing.TestConfigs;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Issue 19: when the shared budget in PostgreSQL cannot be reached, each process of the account paces itself alone.
 * At the whole pace, serve and a CronJob together sent twice the limit; on their shares they stay within it.
 */
class SharedBudgetDownTest {

    private final Vertx vertx = Vertx.vertx();
    private final SimulatorServer simulator = SimulatorServer.start(vertx, new SimulatedAccount(1), "127.0.0.1", 0);

    @AfterEach
    void stop() {
        simulator.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void twoProcessesThatLoseTheDatabaseStayWithinTheLimitTogetherAndSaySo() {
        SimulatedAccount account = new SimulatedAccount(1);
        account.faults().rateCeiling(7);
        simulator.serve(account).acceptOnly(null);
        AmoCrmConfig config = new TestConfigs.AmoCrm(Optional.empty(), Optional.of(simulator.url()), Optional.empty(),
                6.0, Duration.ofSeconds(10));
        RequestBudget serve = new RequestBudget(config, vertx, RequestSlots.on(unreachable()));
        RequestBudget cronJob = new RequestBudget(config, vertx, RequestSlots.on(unreachable()));
        WebClient client = WebClient.create(vertx);

        // both busy at once, as a sync and the webhook re-reads are
        Uni.combine().all().unis(busy(serve, client, 18), busy(cronJob, client, 18)).discardItems()
                .await().atMost(Duration.ofSeconds(60));

        assertThat(simulator.stats().requests()).isEqualTo(36);
        assertThat(simulator.stats().withStatus(429)).as("%s", simulator.stats().recentRequests()).isZero();
        assertThat(Arrivals.busiestSecond(simulator.stats().timeline())).isLessThanOrEqualTo(6);
        assertThat(List.of(serve, cronJob)).allSatisfy(budget -> {
            assertThat(budget.pacingAloneAfterAFailure()).as("the metric says it paces alone").isTrue();
            assertThat(budget.sharedBudgetFailures()).isPositive();
            assertThat(budget.localRate()).as("3 requests in seven intervals of 6/s").isCloseTo(18 / 7.0,
                    org.assertj.core.data.Offset.offset(0.01));
        });
        client.close();
    }

    private Uni<List<Object>> busy(RequestBudget budget, WebClient client, int requests) {
        return Multi.createFrom().range(0, requests)
                .onItem().transformToUniAndConcatenate(i -> budget.acquire().chain(() -> Uni.createFrom()
                        .completionStage(() -> client.get(simulator.port(), "127.0.0.1", "/api/v4/leads/pipelines")
                                .bearerTokenAuthentication("t").send().toCompletionStage()))
                        .map(Object.class::cast))
                .collect().asList();
    }

    /** A pool whose database refuses every connection, as a PostgreSQL that is down. */
    private Pool unreachable() {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(closed)
                .setDatabase("postgres").setUser("postgres")).using(io.vertx.mutiny.core.Vertx.newInstance(vertx)).build();
    }
}
