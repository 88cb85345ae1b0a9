package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.simulator.Stats;
import dev.amocrmsync.testing.Arrivals;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import dev.amocrmsync.testing.TestDatabase;

/**
 * Two packaged processes on one account and one database at once (here a sync and a dry run, which takes no run lock;
 * in production the CronJob and serve): they share the account's request budget, so amoCRM's strict rule (7 inside any
 * sliding second, counted at arrival, ±25 ms of jitter) never answers 429 and together they stay at the one pace.
 */
class SharedBudgetIT {

    private static final Duration EXIT = Duration.ofSeconds(120);

    @Test
    void twoProcessesOnOneAccountShareItsBudget() {
        Db db = TestDatabase.emptied();
        SimulatorServer simulator = SimulatorResource.server();
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(92, 6_000, Duration.ofDays(5)));
        account.faults().rateCeiling(7).latency(Duration.ofMillis(100)).arrivalJitter(Duration.ofMillis(25));
        Map<String, String> settings = Map.of("DATABASE_URL", PostgresResource.databaseUrl(),
                "AMOCRM_BASE_URL", simulator.url().toString(), "AMOCRM_ACCESS_TOKEN", SimulatorResource.TOKEN);
        // the schema first, so both processes find the budget's table from their first request
        PackagedApp migrate = PackagedApp.start(settings, "--dry-run");
        assertThat(migrate.exitCode(EXIT)).as(migrate.output()).isZero();
        simulator.stats().reset();

        PackagedApp sync = PackagedApp.start(settings, "--full");
        PackagedApp other = PackagedApp.start(settings, "--full", "--dry-run");

        assertThat(sync.exitCode(EXIT)).as(sync.output()).isZero();
        assertThat(other.exitCode(EXIT)).as(other.output()).isZero();
        List<Stats.Request> timeline = simulator.stats().timeline();
        assertThat(simulator.stats().withStatus(429)).as("%s", simulator.stats().recentRequests()).isZero();
        assertThat(Arrivals.busiestSecond(timeline)).isLessThanOrEqualTo(7);
        assertThat(Arrivals.rate(timeline)).as("both processes together").isLessThanOrEqualTo(6.2);
        assertThat(other.output()).contains("Dry run done");
        Mirror.assertDatabaseEquals(db, account);
    }
}
