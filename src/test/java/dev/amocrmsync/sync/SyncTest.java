package dev.amocrmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.SimLead;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.Seconds;
import dev.amocrmsync.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/** The core promise: after a run, amocrm_deals equals the account, whatever happened while it ran. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class SyncTest {

    @Inject
    SyncService sync;

    @Inject
    DataSource dataSource;

    Db db;
    SimulatorServer simulator = SimulatorResource.server();

    @BeforeEach
    void freshDatabase() {
        db = new Db(dataSource);
        db.reset();
    }

    @Test
    void firstRunMirrorsEveryLeadOfTheLookBack() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(7, 1_000, Duration.ofDays(5)));

        SyncReport report = run(SyncRequest.incremental());

        assertThat(report.outcome()).isEqualTo(SyncReport.Outcome.SUCCEEDED);
        assertThat(deals(report).inserted()).isEqualTo(1_000);
        Mirror.assertDatabaseEquals(db, account);
        assertThat(db.value("SELECT status FROM sync_runs")).isEqualTo("succeeded");
    }

    @Test
    void leadsOlderThanTheLookBackAreLeftForFull() {
        SimulatedAccount account = SimulatorResource.serve(new SimulatedAccount(3));
        account.addLead(account.now() - Duration.ofDays(30).toSeconds());
        SimLead recent = account.addLead(account.now() - 60);

        run(SyncRequest.incremental());
        assertThat(db.rows("SELECT amocrm_deal_id FROM amocrm_deals"))
                .containsExactly(Map.of("amocrm_deal_id", Long.toString(recent.id())));

        run(SyncRequest.full());
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void secondRunReadsOnlyWhatChanged() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(11, 800, Duration.ofDays(3)));
        run(SyncRequest.incremental());
        List<Long> edited = account.editRandom(5);
        simulator.stats().reset();
        nextSecond();

        SyncReport second = run(SyncRequest.incremental());

        assertThat(deals(second).inserted()).isZero();
        assertThat(deals(second).updated()).isEqualTo(5);
        assertThat(simulator.stats().toPath("/api/v4/leads")).as("one page holds every change").isEqualTo(1);
        assertThat(db.rows("SELECT amocrm_deal_id FROM amocrm_deals ORDER BY synced_at DESC LIMIT 5"))
                .extracting(row -> Long.valueOf((String) row.get("amocrm_deal_id")))
                .containsExactlyInAnyOrderElementsOf(edited);
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void noChangeRunWritesNothing() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(12, 300, Duration.ofDays(2)));
        run(SyncRequest.incremental());
        simulator.stats().reset();

        SyncReport idle = run(SyncRequest.incremental());

        assertThat(idle.inserted() + idle.updated()).isZero();
        assertThat(simulator.stats().toPath("/api/v4/leads")).isEqualTo(1);
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void leadsEditedWhileTheSyncPagesAreNeverLost() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(13, 3_000, Duration.ofDays(6)));
        // five salespeople edit a lead each while every page is being read: each edit moves a lead to the end
        account.onLeadsRequest(request -> account.editRandom(5));

        run(SyncRequest.incremental());
        account.clearListeners();
        nextSecond();
        run(SyncRequest.incremental());

        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void moreLeadsInOneSecondThanAPageHolds() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(17, 400, Duration.ofDays(2)));
        long crowded = account.now() - 7_200;
        account.stampSecond(crowded, 640);
        // and leads leave the crowded second while it is enumerated
        AtomicInteger requests = new AtomicInteger();
        account.onLeadsRequest(request -> {
            if ("id".equals(request.orderField()) && requests.incrementAndGet() % 2 == 0) {
                account.editRandom(3);
            }
        });

        run(SyncRequest.incremental());
        account.clearListeners();
        nextSecond();
        run(SyncRequest.incremental());

        assertThat(simulator.stats().recentRequests()).anyMatch(line -> line.contains("order[id]=asc"));
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void anEmptyAccountAnswers204AndTheRunSucceeds() {
        SimulatorResource.serve(new SimulatedAccount(19));

        SyncReport report = run(SyncRequest.incremental());

        assertThat(report.outcome()).isEqualTo(SyncReport.Outcome.SUCCEEDED);
        assertThat(simulator.stats().withStatus(204)).isGreaterThanOrEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM amocrm_deals")).isZero();
    }

    @Test
    void deletionsAndRestorationsFlagRowsAndNeverRemoveThem() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(23, 200, Duration.ofDays(2)));
        run(SyncRequest.incremental());
        List<Long> ids = List.copyOf(account.liveLeads().keySet()).subList(0, 3);
        ids.forEach(account::delete);
        nextSecond();

        SyncReport deletion = run(SyncRequest.incremental());
        assertThat(deletion.deleted()).isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM amocrm_deals WHERE is_deleted AND deleted_at IS NOT NULL")).isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM amocrm_deals")).isEqualTo(200);

        account.restore(ids.get(0));
        nextSecond();
        SyncReport restoration = run(SyncRequest.incremental());

        assertThat(restoration.restored()).isEqualTo(1);
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aCrashBetweenPagesResumesFromTheLastCommittedPage() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(29, 2_000, Duration.ofDays(4)));
        // the fourth page of the leads fails, and every one after it: three pages are in, whatever else runs first
        account.faults().failPathFrom("/api/v4/leads", 4, 400);

        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental())))
                .hasMessageContaining("HTTP 400");
        long written = db.count("SELECT count(*) FROM amocrm_deals");
        assertThat(written).as("the pages before the failure are committed").isBetween(250L, 1_999L);
        assertThat(db.count("SELECT count(*) FROM sync_windows")).isPositive();
        assertThat(db.value("SELECT status FROM sync_runs")).isEqualTo("failed");
        account.faults().reset();
        simulator.stats().reset();

        SyncReport resumed = run(SyncRequest.incremental());

        assertThat(deals(resumed).inserted()).isEqualTo(2_000 - written);
        assertThat(db.count("SELECT count(*) FROM sync_windows")).as("the finished plan is cleared").isZero();
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aSecondRunAtTheSameTimeWritesNothingAndSaysSo() throws Exception {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(31, 1_500, Duration.ofDays(2)));
        account.faults().latency(Duration.ofMillis(150));

        CompletableFuture<SyncReport> first = CompletableFuture.supplyAsync(() -> run(SyncRequest.incremental()));
        PackagedApp.await("the first run holds the lock", Duration.ofSeconds(30),
                () -> db.count("SELECT count(*) FROM sync_runs WHERE status = 'running'") == 1);
        SyncReport second = run(SyncRequest.incremental());

        assertThat(second.outcome()).isEqualTo(SyncReport.Outcome.ALREADY_RUNNING);
        assertThat(second.note()).contains("run #");
        assertThat(first.get().outcome()).isEqualTo(SyncReport.Outcome.SUCCEEDED);
        Mirror.assertDatabaseEquals(db, account);
        assertThat(db.count("SELECT count(*) FROM sync_runs")).isEqualTo(1);
    }

    @Test
    void theSeedsCheckQueryRunsUnchanged() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(37, 100, Duration.ofDays(1)));
        run(SyncRequest.incremental());

        List<Map<String, Object>> latest = db.rows("""
                SELECT
                  amocrm_deal_id,
                  status_label,
                  price,
                  updated_at,
                  metadata->>'rentprog_booking_id' as rentprog_id
                FROM amocrm_deals
                ORDER BY updated_at DESC
                LIMIT 10;""");

        assertThat(latest).hasSize(10).allSatisfy(row -> assertThat(row.get("status_label")).isNotNull());
        assertThat(latest).anySatisfy(row -> assertThat(row.get("rentprog_id")).asString().matches("\\d+"));
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aDatabaseFilledByTheOriginalScriptContinuesFromItsNewestDeal() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(41, 50, Duration.ofDays(2)));
        long newest = account.now() - 3_600;
        db.update("INSERT INTO amocrm_deals (amocrm_deal_id, updated_at) VALUES ('1', to_timestamp(?))", newest);

        run(SyncRequest.incremental());

        long from = newest - Duration.ofMinutes(5).toSeconds();
        assertThat(simulator.stats().recentRequests()).anyMatch(line -> line.contains("filter[updated_at][from]=" + from));
        assertThat(db.count("SELECT count(*) FROM amocrm_deals")).isEqualTo(1 + account.liveLeads().values().stream()
                .filter(lead -> lead.updatedAt() >= from).count());
    }

    @Test
    void aDryRunWritesNothing() {
        SimulatorResource.serve(SimulatedAccount.withLeads(43, 300, Duration.ofDays(1)));

        SyncReport report = run(SyncRequest.incremental().dryRun(true));

        assertThat(report.outcome()).isEqualTo(SyncReport.Outcome.DRY_RUN);
        assertThat(deals(report).processed()).isEqualTo(300);
        assertThat(db.count("SELECT count(*) FROM amocrm_deals")).isZero();
        assertThat(db.count("SELECT count(*) FROM sync_runs")).isZero();
        assertThat(db.count("SELECT count(*) FROM sync_state")).isZero();
    }

    /**
     * A run reads up to the second before it starts: what changes in the current second is the next run's. Real runs
     * are minutes apart; tests that change the account and sync again at once let that second pass.
     */
    /** What a run did to the deals, among the entities it read. */
    static SyncReport.EntityReport deals(SyncReport report) {
        return report.entities().stream().filter(entity -> entity.entity().equals("leads")).findFirst().orElseThrow();
    }

    static void nextSecond() {
        Seconds.awaitNext();
    }

    private SyncReport run(SyncRequest request) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> sync.run(request));
        } catch (Throwable e) {
            throw new AssertionError("the sync failed: " + e.getMessage(), e);
        }
    }
}
