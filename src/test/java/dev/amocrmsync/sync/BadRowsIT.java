package dev.amocrmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import dev.amocrmsync.testing.TestDatabase;

/**
 * One bad item never stops a table, through the packaged application: what PostgreSQL cannot hold as sent is stored
 * in a form it can, what it refuses is quarantined alone and read again by the next run, a catalog the user may not
 * read is skipped, and an answer the keyset cannot move past stops the run as malformed instead of ending it early.
 */
class BadRowsIT {

    private static final Duration EXIT = Duration.ofSeconds(120);

    private Db db;

    @BeforeEach
    void emptyDatabase() {
        db = TestDatabase.emptied();
    }

    @Test
    void aBadLeadIsKeptOrSetAsideAloneTheCursorMovesAndTheNextRunStoresItOnceFixed() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(311, 700, Duration.ofDays(2)));
        long at = account.now() - 20 * 3_600;
        account.addVerbatim(94_000_001, at, "{\"id\": 94000001, \"updated_at\": " + at + ", \"name\": \"x\\ud800y\"}");
        // a closing date three million years ahead: out of range for timestamptz (SQLSTATE 22008)
        account.addVerbatim(94_000_002, at, "{\"id\": 94000002, \"updated_at\": " + at
                + ", \"name\": \"far future\", \"closed_at\": 99999999999999}");
        account.faults().forbid("/api/v4/users");

        PackagedApp first = PackagedApp.start(settings());

        assertThat(first.exitCode(EXIT)).as(first.output()).isEqualTo(3);
        assertThat(first.output()).contains("lead 94000002 quarantined: PostgreSQL refused it: timestamp out of range")
                .doesNotContain("DATABASE_URL");
        assertThat(first.output().split("amoCRM refused GET /api/v4/users \\(HTTP 403\\)", -1))
                .as("the catalog the user may not read is named once").hasSize(2);
        assertThat(db.value("SELECT name FROM amocrm_deals WHERE amocrm_deal_id = '94000001'")).isEqualTo("x\uFFFDy");
        assertThat(db.value("SELECT reason FROM sync_quarantine WHERE amocrm_deal_id = '94000002'")).asString()
                .contains("SQLSTATE 22008");
        Mirror.assertDatabaseEquals(db, account, Set.of(94_000_001L, 94_000_002L));
        assertThat(db.count("SELECT count(*) FROM sync_state WHERE entity = 'leads' AND cursor_at IS NOT NULL"
                + " AND plan_from IS NULL")).as("the cursor moved past the bad lead").isEqualTo(1);

        // fixed in amoCRM without a new updated_at: only reading the quarantine again finds it
        account.addVerbatim(94_000_002, at, "{\"id\": 94000002, \"updated_at\": " + at + ", \"name\": \"far future\"}");
        PackagedApp second = PackagedApp.start(settings());

        assertThat(second.exitCode(EXIT)).as(second.output()).isZero();
        assertThat(second.output()).contains("Reading again 1 leads set aside by earlier runs");
        assertThat(db.value("SELECT name FROM amocrm_deals WHERE amocrm_deal_id = '94000002'")).isEqualTo("far future");
        assertThat(db.value("SELECT resolution FROM sync_quarantine WHERE amocrm_deal_id = '94000002'"))
                .isEqualTo("stored");
    }

    @Test
    void aFullPageWithoutKeysStopsTheRunAsMalformedInsteadOfEndingTheScan() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(312, 200, Duration.ofDays(1)));
        long start = account.now() - 3 * 86_400;
        for (int i = 0; i < 250; i++) {
            account.addVerbatim(95_000_000 + i, start + i, "{\"id\": " + (95_000_000 + i) + ", \"name\": \"no date\"}");
        }

        PackagedApp run = PackagedApp.start(settings());

        assertThat(run.exitCode(EXIT)).as(run.output()).isEqualTo(6);
        assertThat(run.output()).contains("a full page of 250 leads of which none has a numeric id and updated_at");
        assertThat(db.count("SELECT count(*) FROM sync_state WHERE entity = 'leads' AND cursor_at IS NOT NULL")).isZero();
    }

    private static Map<String, String> settings() {
        return SimulatorResource.processSettings(PostgresResource.databaseUrl());
    }
}
