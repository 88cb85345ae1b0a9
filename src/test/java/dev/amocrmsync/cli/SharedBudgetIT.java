package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
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
 * sliding second, counted at arrival, ±25 ms of jitter) never answers 429 and together they stay at the one pace. The
 * budget fails safe: a process that cannot take its slots in PostgreSQL paces itself alone, on a share of the pace.
 */
class SharedBudgetIT {

    private static final Duration EXIT = Duration.ofSeconds(120);

    /** Issue 19: the budget was keyed by the URL as typed, so two spellings of the account paced apart. */
    @Test
    void twoProcessesOnOneAccountShareItsBudgetHoweverItsUrlIsSpelled() {
        Db db = TestDatabase.emptied();
        SimulatorServer simulator = SimulatorResource.server();
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(92, 6_000, Duration.ofDays(5)));
        account.faults().rateCeiling(7).latency(Duration.ofMillis(100)).arrivalJitter(Duration.ofMillis(25));
        Map<String, String> settings = SimulatorResource.processSettings(PostgresResource.databaseUrl());
        // the budget is what is shared, whatever a run reads: the leads alone keep the two runs short
        settings.put("AMOCRM_SYNC_ENTITIES", "leads");
        Map<String, String> otherSpelling = new HashMap<>(settings);
        otherSpelling.put("AMOCRM_BASE_URL", simulator.url().toString().replace("http:", "HTTP:") + "/");
        // the schema first, so both processes find the budget's table from their first request
        PackagedApp migrate = PackagedApp.start(settings, "--dry-run");
        assertThat(migrate.exitCode(EXIT)).as(migrate.output()).isZero();
        simulator.stats().reset();

        PackagedApp sync = PackagedApp.start(settings, "--full");
        PackagedApp other = PackagedApp.start(otherSpelling, "--full", "--dry-run");

        assertThat(sync.exitCode(EXIT)).as(sync.output()).isZero();
        assertThat(other.exitCode(EXIT)).as(other.output()).isZero();
        List<Stats.Request> timeline = simulator.stats().timeline();
        assertThat(simulator.stats().withStatus(429)).as("%s", simulator.stats().recentRequests()).isZero();
        assertThat(Arrivals.busiestSecond(timeline)).isLessThanOrEqualTo(7);
        assertThat(Arrivals.rate(timeline)).as("both processes together").isLessThanOrEqualTo(6.2);
        assertThat(other.output()).contains("Dry run done");
        assertThat(db.count("SELECT count(*) FROM amocrm_request_budget")).as("one budget row").isEqualTo(1);
        Mirror.assertDatabaseEquals(db, account);
    }

    /**
     * Issue 19: a transaction holding the budget's table (a stuck process, an operator's session) used to hold every
     * request of every process back until it ended. The reservation now gives up within a second, and the process
     * paces itself alone on its share of the pace, saying so.
     */
    @Test
    void aLockedBudgetIsPacedAroundOnAShareOfThePaceAndSaid() throws Exception {
        Db db = TestDatabase.emptied();
        SimulatorServer simulator = SimulatorResource.server();
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(93, 3_000, Duration.ofDays(5)));
        account.faults().rateCeiling(7).latency(Duration.ofMillis(100));
        Map<String, String> settings = SimulatorResource.processSettings(PostgresResource.databaseUrl());
        settings.put("AMOCRM_SYNC_ENTITIES", "leads");
        PackagedApp migrate = PackagedApp.start(settings, "--dry-run");
        assertThat(migrate.exitCode(EXIT)).as(migrate.output()).isZero();
        simulator.stats().reset();

        try (Connection stuck = PostgresResource.dataSource().getConnection()) {
            stuck.setAutoCommit(false);
            stuck.createStatement().execute("LOCK TABLE amocrm_request_budget IN EXCLUSIVE MODE");

            PackagedApp sync = PackagedApp.start(settings, "--full");

            assertThat(sync.exitCode(EXIT)).as(sync.output()).isZero();
            assertThat(sync.output()).contains("The shared request budget in PostgreSQL failed")
                    .contains("pacing this process alone at");
            stuck.rollback();
        }
        assertThat(simulator.stats().withStatus(429)).as("%s", simulator.stats().recentRequests()).isZero();
        assertThat(Arrivals.rate(simulator.stats().timeline())).as("3 requests in every 1.17 s, not 6/s")
                .isLessThanOrEqualTo(3);
        Mirror.assertDatabaseEquals(db, account);
    }
}
