package dev.amocrmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.Catalog;
import dev.amocrmsync.simulator.SimNote;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.ShiftedClock;
import dev.amocrmsync.testing.SimulatorResource;
import dev.amocrmsync.testing.TestDatabase;

/**
 * The account's history and work through the packaged application, as an operator runs it: tasks, notes and calls,
 * the deals' moves between stages and the funnel's catalogs end exact after a first sync killed halfway, after edits,
 * deletions and moves between runs, and after a full sync's sweep, with amoCRM's clock ten minutes off either way.
 */
class WorkIT {

    private static final Duration EXIT = Duration.ofSeconds(150);

    private SimulatedAccount account;

    @AfterEach
    void quietAccount() {
        account.clearListeners();
        account.faults().reset();
    }

    @Test
    void aFirstSyncKilledWhileReadingNotesEndsExactOnTheNextRunWithAmoCrmAhead() {
        Db db = TestDatabase.emptied();
        account = SimulatorResource.serve(SimulatedAccount.withEntities(91, 500, 400, 60, 3_000, 6_000,
                Duration.ofDays(5), new ShiftedClock(Duration.ofMinutes(10))));
        // a robot's bulk edit: more tasks and notes in one second than two pages
        account.tasks().stampSecond(account.now() - 7_200, 600);
        account.notes().stampSecond("leads", account.now() - 7_200, 700);
        account.faults().latency(Duration.ofMillis(120));
        PackagedApp first = PackagedApp.start(settings());
        try {
            PackagedApp.await("some note pages are committed", EXIT, () -> notes(db) > 1_000);
        } finally {
            first.kill();
        }
        assertThat(notes(db)).isLessThan(6_000);
        account.faults().latency(Duration.ZERO);

        String output = sync(settings());

        assertThat(output).contains("resuming the scan an earlier run did not finish");
        assertExact(db, false);
    }

    @Test
    void editsDeletionsAndMovesBetweenRunsAndAFullSweepEndExactWithAmoCrmBehind() {
        Db db = TestDatabase.emptied();
        account = SimulatorResource.serve(SimulatedAccount.withEntities(92, 400, 300, 50, 800, 1_500,
                Duration.ofDays(4), new ShiftedClock(Duration.ofMinutes(-10))));
        sync(settings());
        assertExact(db, false);

        List<Long> tasks = new ArrayList<>(account.tasks().live().keySet());
        // the bulk delete first: the team's work below may delete some of these tasks itself
        account.tasks().deleteAll(tasks.subList(0, 20), account.now());
        account.tasks().workOnRandom(60);
        account.notes().workOnRandom(100);
        SimNote call = account.notes().live("leads").values().stream().filter(SimNote::isCall).findFirst()
                .orElseThrow();
        account.notes().delete("leads", call.id());
        account.moveRandomLeadsInOneSecond(120, Catalog.PIPELINES.get(0).id(),
                Catalog.PIPELINES.get(0).statuses().get(3).id(), account.now());
        SyncTest.nextSecond();

        String second = sync(settings());

        assertThat(second).contains("tasks: processed").contains("Requests: ");
        assertExact(db, false);
        Map<String, Object> row = db.rows("SELECT is_deleted FROM amocrm_notes WHERE entity_type = 'leads'"
                + " AND amocrm_note_id = ?", call.id()).get(0);
        assertThat(row.get("is_deleted")).as("no event tells of a deleted call").isEqualTo(false);

        Map<String, String> full = settings();
        PackagedApp sweep = PackagedApp.start(full, "--full");
        assertThat(sweep.exitCode(EXIT)).as(sweep.output()).isZero();
        assertExact(db, true);
    }

    private void assertExact(Db db, boolean swept) {
        Mirror.assertDatabaseEquals(db, account);
        Mirror.assertEntitiesEqual(db, account);
        Mirror.assertWorkEquals(db, account, swept);
        Mirror.assertFunnelCatalogsEqual(db, account);
    }

    /** Notes written so far; 0 while the first run has not created the table yet. */
    private static long notes(Db db) {
        return "true".equals(String.valueOf(db.value("SELECT to_regclass('amocrm_notes') IS NOT NULL")))
                ? db.count("SELECT count(*) FROM amocrm_notes")
                : 0;
    }

    private static String sync(Map<String, String> settings) {
        PackagedApp app = PackagedApp.start(settings);
        assertThat(app.exitCode(EXIT)).as(app.output()).isZero();
        return app.output();
    }

    private static Map<String, String> settings() {
        return SimulatorResource.processSettings(PostgresResource.databaseUrl());
    }
}
