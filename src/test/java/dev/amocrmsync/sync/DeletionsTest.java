package dev.amocrmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.SimLead;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * Deletions as managers make them: hundreds in one second, undone in the same second, redone; and {@code --full}
 * making every deletion flag equal amoCRM again, whatever drift the table had.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class DeletionsTest {

    @Inject
    SyncService sync;

    @Inject
    DataSource dataSource;

    Db db;

    @BeforeEach
    void freshDatabase() {
        db = new Db(dataSource);
        db.reset();
    }

    @AfterEach
    void quietAccount() {
        SimulatorResource.server().account().clearListeners();
    }

    @Test
    void aBulkDeleteOfSixHundredLeadsInOneSecondFlagsEveryOne() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(41, 1_000, Duration.ofDays(3)));
        run(SyncRequest.incremental());
        List<Long> junk = List.copyOf(account.liveLeads().keySet()).subList(100, 700);
        account.deleteAll(junk, account.now());
        SyncTest.nextSecond();

        SyncReport report = run(SyncRequest.incremental());

        assertThat(report.deleted()).isEqualTo(600);
        assertThat(db.count("SELECT count(*) FROM amocrm_deals WHERE is_deleted")).isEqualTo(600);
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aTableWithoutRowsAsksTheEventLogNothingAndTheNextRunReadsItFromWhereTheFirstEnded() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(42, 300, Duration.ofDays(3)));
        List<Long> ids = List.copyOf(account.liveLeads().keySet());
        account.delete(ids.get(0));
        account.delete(ids.get(1));
        account.restore(ids.get(1));
        SyncTest.nextSecond();
        SimulatorResource.server().stats().reset();

        run(SyncRequest.full());

        // the event log is read for the deals' status history, and asked for no deletion: nothing to flag yet
        assertThat(SimulatorResource.server().stats().timeline()).filteredOn(r -> r.path().equals("/api/v4/events"))
                .isNotEmpty().allMatch(r -> !r.query().contains("deleted") && !r.query().contains("restored"));
        Mirror.assertDatabaseEquals(db, account);
        account.delete(ids.get(2));
        SyncTest.nextSecond();

        SimulatorResource.server().stats().reset();
        SyncReport report = run(SyncRequest.incremental());

        assertThat(SimulatorResource.server().stats().toPath("/api/v4/events")).as("one read of the log for everything")
                .isOne();
        assertThat(report.deleted()).isOne();
        assertThat(flagged(ids.get(2))).isTrue();
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void rowsTheOriginalScriptWroteWithoutUpdatedAtStillHaveTheirDeletionsRead() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(44, 300, Duration.ofDays(3)));
        long adopted = account.liveLeads().keySet().iterator().next();
        db.update("INSERT INTO amocrm_deals (amocrm_deal_id, name) VALUES (?, 'from the original script')",
                Long.toString(adopted));
        account.delete(adopted);
        SyncTest.nextSecond();
        SimulatorResource.server().stats().reset();

        run(SyncRequest.incremental());

        assertThat(SimulatorResource.server().stats().toPath("/api/v4/events")).as("the table has a row").isPositive();
        assertThat(flagged(adopted)).isTrue();
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void theLatestEventOfEachLeadWinsEvenWithinOneSecond() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(43, 1_000, Duration.ofDays(3)));
        run(SyncRequest.incremental());
        List<Long> ids = List.copyOf(account.liveLeads().keySet());
        List<Long> bulk = ids.subList(0, 600);
        List<Long> undone = ids.subList(0, 100);
        List<Long> redoneAtOnce = ids.subList(100, 150);
        List<Long> redoneLater = ids.subList(150, 170);
        List<Long> restoredLater = ids.subList(170, 190);
        long second = account.now();
        account.deleteAll(bulk, second);
        account.restoreAll(undone, second);
        account.restoreAll(redoneAtOnce, second);
        account.deleteAll(redoneAtOnce, second);
        SyncTest.nextSecond();
        account.restoreAll(redoneLater, account.now());
        account.restoreAll(restoredLater, account.now());
        SyncTest.nextSecond();
        // a second deletion after a restore is a new event, not a duplicate of the first
        account.deleteAll(redoneLater, account.now());
        SyncTest.nextSecond();

        SyncReport report = run(SyncRequest.incremental());

        assertThat(report.deleted()).isEqualTo(600 - 100 - 20);
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void deletionsWhileTheEventLogIsReadAreFlaggedByTheNextRun() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(47, 2_000, Duration.ofDays(3)));
        run(SyncRequest.incremental());
        List<Long> ids = List.copyOf(account.liveLeads().keySet());
        account.deleteAll(ids.subList(0, 600), account.now());
        SyncTest.nextSecond();
        List<Long> later = new ArrayList<>(ids.subList(600, 2_000));
        AtomicInteger deletedMeanwhile = new AtomicInteger();
        account.onEventsRequest(() -> {
            List<Long> three = later.subList(0, 3);
            account.deleteAll(three, account.now());
            deletedMeanwhile.addAndGet(3);
            three.clear();
        });

        SyncReport first = run(SyncRequest.incremental());
        account.clearListeners();

        assertThat(first.deleted()).isGreaterThanOrEqualTo(600);
        assertThat(db.count("SELECT count(*) FROM amocrm_deals WHERE is_deleted AND amocrm_deal_id = ANY (?)",
                (Object) ids.subList(0, 600).stream().map(String::valueOf).toArray(String[]::new))).isEqualTo(600);
        SyncTest.nextSecond();
        run(SyncRequest.incremental());
        assertThat(db.count("SELECT count(*) FROM amocrm_deals WHERE is_deleted"))
                .isEqualTo(600 + deletedMeanwhile.get());
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void fullMakesEveryDeletionFlagEqualAmoCrm() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(53, 1_500, Duration.ofDays(3)));
        run(SyncRequest.incremental());
        List<Long> ids = List.copyOf(account.liveLeads().keySet());
        // a restore event aged out of the log: the row stays flagged, amoCRM lists the lead
        long agedOut = ids.get(0);
        flag(agedOut, "now() - interval '1 minute'");
        // a delete and a restore in one second: a run that took the deletion for the last event
        long sameSecond = ids.get(1);
        long second = account.now();
        account.deleteAll(List.of(sameSecond), second);
        account.restoreAll(List.of(sameSecond), second);
        flag(sameSecond, "to_timestamp(" + second + ")");
        // a webhook deletion stamped with a host clock ten minutes fast, then restored in amoCRM
        long webhook = ids.get(2);
        account.deleteAll(List.of(webhook), second);
        account.restoreAll(List.of(webhook), second);
        flag(webhook, "now() + interval '10 minutes'");
        // and the other way round: deleted in amoCRM, its event missed, the row still live
        long missed = ids.get(3);
        account.deleteAll(List.of(missed), second - 86_400);
        SyncTest.nextSecond();
        // a lead the scan has already read alive is deleted while the scan goes on
        SimLead oldest = account.liveLeads().values().stream()
                .min(java.util.Comparator.comparingLong(SimLead::updatedAt)).orElseThrow();
        AtomicInteger listed = new AtomicInteger();
        AtomicBoolean deletedDuringRun = new AtomicBoolean();
        account.onLeadsRequest(request -> {
            if (!request.onlyDeleted() && listed.incrementAndGet() == 3 && deletedDuringRun.compareAndSet(false, true)) {
                account.delete(oldest.id());
            }
        });

        SyncReport report = run(SyncRequest.full());

        assertThat(deletedDuringRun).isTrue();
        assertThat(report.outcome()).isEqualTo(SyncReport.Outcome.SUCCEEDED);
        assertThat(flagged(agedOut)).isFalse();
        assertThat(flagged(sameSecond)).isFalse();
        assertThat(flagged(webhook)).isFalse();
        assertThat(flagged(missed)).isTrue();
        assertThat(flagged(oldest.id())).as("deleted after the scan read it").isTrue();
        Mirror.assertDatabaseEquals(db, account);
        account.deletedLeads().keySet().forEach(id -> assertThat(flagged(id)).as("lead %d is in the bin", id).isTrue());
    }

    private void flag(long id, String deletedAt) {
        assertThat(db.update("UPDATE amocrm_deals SET is_deleted = true, deleted_at = " + deletedAt
                + " WHERE amocrm_deal_id = ?", Long.toString(id))).isOne();
    }

    private boolean flagged(long id) {
        return (Boolean) db.value("SELECT is_deleted FROM amocrm_deals WHERE amocrm_deal_id = ?", Long.toString(id));
    }

    private SyncReport run(SyncRequest request) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> sync.run(request));
        } catch (Throwable e) {
            throw new AssertionError("the sync failed: " + e.getMessage(), e);
        }
    }
}
