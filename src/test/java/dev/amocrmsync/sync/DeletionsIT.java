package dev.amocrmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import dev.amocrmsync.testing.TestDatabase;

/** Deletions through the packaged application, run as an operator runs it, against the simulator and PostgreSQL. */
class DeletionsIT {

    private static final Duration EXIT = Duration.ofSeconds(120);

    private Db db;
    private SimulatedAccount account;

    @BeforeEach
    void mirroredAccount() {
        db = TestDatabase.emptied();
        account = SimulatorResource.serve(SimulatedAccount.withLeads(61, 1_500, Duration.ofDays(3)));
        sync();
    }

    @AfterEach
    void quietAccount() {
        account.clearListeners();
    }

    @Test
    void aBulkDeleteOfSixHundredLeadsInOneSecondIsFlaggedWhole() {
        List<Long> junk = List.copyOf(account.liveLeads().keySet()).subList(200, 800);
        account.deleteAll(junk, account.now());
        SyncTest.nextSecond();

        String output = sync();

        assertThat(output).contains("Events: 600 at");
        assertThat(db.count("SELECT count(*) FROM amocrm_deals WHERE is_deleted")).isEqualTo(600);
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void fullRepairsDeletionFlagsThatDrifted() {
        List<Long> ids = List.copyOf(account.liveLeads().keySet());
        long second = account.now();
        // deleted and restored in one second, but the row says deleted (and a webhook's host clock was fast)
        account.deleteAll(ids.subList(0, 2), second);
        account.restoreAll(ids.subList(0, 2), second);
        db.update("UPDATE amocrm_deals SET is_deleted = true, deleted_at = now() + interval '10 minutes'"
                + " WHERE amocrm_deal_id IN (?, ?, ?)", ids.get(0).toString(), ids.get(1).toString(), ids.get(2).toString());
        // deleted in amoCRM, the row still live
        account.deleteAll(ids.subList(3, 5), second - 86_400);
        SyncTest.nextSecond();

        String output = sync("--full");

        assertThat(output).contains("Cleared the deletion flag of 3 deals");
        Mirror.assertDatabaseEquals(db, account);
    }

    private String sync(String... args) {
        PackagedApp app = PackagedApp.start(settings(), args);
        assertThat(app.exitCode(EXIT)).as(app.output()).isZero();
        return app.output();
    }

    private Map<String, String> settings() {
        return SimulatorResource.processSettings(PostgresResource.databaseUrl());
    }
}
