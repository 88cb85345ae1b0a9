package dev.amocrmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.amocrm.AccountBlocked;
import dev.amocrmsync.amocrm.AmoCrmUnavailable;
import dev.amocrmsync.amocrm.MalformedResponse;
import dev.amocrmsync.amocrm.Unauthorized;
import dev.amocrmsync.simulator.SimLead;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.simulator.Stats;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/** Faults at the simulated amoCRM: the run ends exact, or stops with the reason and the next run ends exact. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class ResilienceTest {

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
        // the circuit as a fresh process has it, whatever a test class before this one left
        CircuitBreakerMaintenance.get().resetAll();
    }

    @AfterEach
    void closeCircuits() {
        CircuitBreakerMaintenance.get().resetAll();
    }

    @Test
    void serverErrorsAreRetriedAndTheRunEndsExact() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(61, 1_500, Duration.ofDays(3)));
        account.faults().failEvery(3, 503);

        run(SyncRequest.incremental());

        assertThat(simulator.stats().withStatus(503)).isPositive();
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aStormOf429sIsWaitedOutAsRetryAfterAsks() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(62, 600, Duration.ofDays(2)));
        account.faults().throttleNext(2, 1, false);

        run(SyncRequest.incremental());
        account.faults().throttleNext(1, 1, true);
        SyncTest.nextSecond();
        run(SyncRequest.incremental());

        List<Stats.Request> timeline = simulator.stats().timeline();
        assertThat(simulator.stats().withStatus(429)).isEqualTo(3);
        for (int i = 0; i < timeline.size() - 1; i++) {
            if (timeline.get(i).status() == 429) {
                assertThat(timeline.get(i + 1).at() - timeline.get(i).at()).as("retry_after of 1 s is respected")
                        .isGreaterThanOrEqualTo(950);
            }
        }
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void slowAnswersAndDroppedConnectionsAreRetried() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(63, 800, Duration.ofDays(2)));
        account.faults().slowNext(1, Duration.ofSeconds(3)).dropNext(1);

        run(SyncRequest.incremental());

        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aRefusedTokenStopsTheRunAtOnceNamingTheSettingNeverTheToken() {
        String token = UUID.randomUUID().toString();
        SimulatorResource.serve(SimulatedAccount.withLeads(64, 10, Duration.ofDays(1)));
        simulator.acceptOnly(token);

        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental())))
                .isInstanceOf(Unauthorized.class)
                .hasMessageContaining("AMOCRM_ACCESS_TOKEN was refused")
                .hasMessageContaining("HTTP 401");

        assertThat(simulator.stats().withStatus(401)).as("never retried").isEqualTo(1);
        assertThat(db.value("SELECT error FROM sync_runs")).asString().contains("HTTP 401")
                .doesNotContain(SimulatorResource.TOKEN).doesNotContain(token);
    }

    @Test
    void aBlockedAccountIsNeverRetried() {
        SimulatorResource.serve(SimulatedAccount.withLeads(65, 10, Duration.ofDays(1))).faults().block();

        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental())))
                .isInstanceOf(AccountBlocked.class)
                .hasMessageContaining("HTTP 403 Forbidden with an HTML page")
                .hasMessageContaining("amoCRM support");
        assertThat(simulator.stats().requests()).isEqualTo(1);
    }

    @Test
    void anUnpaidAccountIsNeverRetried() {
        SimulatorResource.serve(SimulatedAccount.withLeads(66, 10, Duration.ofDays(1))).faults().unpaid();

        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental())))
                .isInstanceOf(AccountBlocked.class).hasMessageContaining("402").hasMessageContaining("unpaid");
        assertThat(simulator.stats().requests()).isEqualTo(1);
    }

    @Test
    void aTruncatedPageIsNotWrittenAndTheNextRunResumes() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(67, 700, Duration.ofDays(2)));
        account.faults().truncateNext(1);

        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental())))
                .isInstanceOf(MalformedResponse.class)
                .hasMessageContaining("not the expected JSON")
                .hasMessageContaining("GET /api/v4/leads?with=contacts&filter[updated_at][from]=");
        assertThat(db.count("SELECT count(*) FROM amocrm_deals")).isZero();

        account.faults().garbageNext(1);
        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental())))
                .isInstanceOf(MalformedResponse.class);

        run(SyncRequest.incremental());
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aDeadApiFailsTheRunAfterBoundedRetriesThenTheCircuitOpens() {
        SimulatorResource.serve(SimulatedAccount.withLeads(68, 10, Duration.ofDays(1))).faults().failEvery(1, 500);

        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental())))
                .isInstanceOf(AmoCrmUnavailable.class).hasMessageContaining("HTTP 500");
        assertThat(simulator.stats().requests()).as("the first attempt and 8 retries: %s", simulator.stats().recentRequests())
                .isEqualTo(9);

        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental())))
                .hasMessageContaining("circuit");
        assertThat(simulator.stats().requests()).as("the open circuit spares the sick API").isLessThan(18);
    }

    @Test
    void anAccountIgnoringTheUpdatedAtFilterIsReadNewestFirstDownToTheCursor() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(69, 2_000, Duration.ofDays(5)));
        run(SyncRequest.incremental());
        account.faults().ignoreUpdatedAtFilter(true);
        account.editRandom(12);
        SyncTest.nextSecond();
        simulator.stats().reset();

        SyncReport report = run(SyncRequest.incremental());

        assertThat(report.updated()).isEqualTo(12);
        assertThat(simulator.stats().toPath("/api/v4/leads")).as("not the whole account again").isLessThan(5);
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aLeadThatCannotBeReadIsQuarantinedAndTheRestIsWritten() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(70, 300, Duration.ofDays(1)));
        long at = account.now() - 600;
        account.addVerbatim(91_000_001, at, "{\"id\": 91000001, \"updated_at\": " + at + ", \"price\": \"lots\"}");
        account.addVerbatim(91_000_002, at, "{\"name\": \"no id, no updated_at\"}");

        SyncReport report = run(SyncRequest.incremental());

        assertThat(report.outcome()).isEqualTo(SyncReport.Outcome.QUARANTINED);
        assertThat(report.quarantined()).isEqualTo(2);
        List<Map<String, Object>> quarantined = db.rows(
                "SELECT amocrm_deal_id, reason, CAST(raw AS text) AS raw FROM sync_quarantine ORDER BY id");
        assertThat(quarantined).extracting(row -> row.get("amocrm_deal_id")).containsExactlyInAnyOrder("91000001", null);
        assertThat(quarantined).anySatisfy(row -> assertThat((String) row.get("raw")).contains("lots"));
        assertThat(db.value("SELECT status FROM sync_runs")).isEqualTo("quarantined");
        Mirror.assertDatabaseEquals(db, account, Set.of(91_000_001L, 91_000_002L));
    }

    @Test
    void oddDataIsStoredExactlyAsReceived() {
        SimulatedAccount account = SimulatorResource.serve(new SimulatedAccount(71));
        String[] names = { "", "O'Brien \"Quote\" \\ backslash", "'); DROP TABLE amocrm_deals; --", "Ёжик 🦔 🚗\n\ttab",
                "x".repeat(100_000), "$1 :name ?param %s {0}" };
        for (String name : names) {
            SimLead lead = account.addLead(account.now() - 300);
            account.rename(lead.id(), name);
        }
        SimLead weird = account.addLead(account.now() - 200);
        account.setCustomFields(weird.id(),
                """
                        [{"field_id": 1, "field_name": "", "field_code": null, "field_type": "text", "values": null},
                         {"field_id": 2, "field_name": "nested", "field_type": "legal_entity",
                          "values": [{"value": {"a": [1, {"b": null}], "c": "\\"quoted\\" \\u00e9"}}]},
                         {"field_id": 902255, "field_name": "RentProg", "field_type": "numeric", "values": [{"value": 12.50}]},
                         {"field_id": 4, "field_name": "flags", "field_type": "checkbox", "values": [{"value": false}]},
                         {"field_id": 5, "field_name": "big", "field_type": "numeric", "values": [{"value": 123456789012345678901234567890}]}]""");
        SimLead withNul = account.addLead(account.now() - 100);
        account.rename(withNul.id(), "before\u0000after");
        SyncTest.nextSecond();

        run(SyncRequest.incremental());

        Mirror.assertDatabaseEquals(db, account, Set.of(withNul.id()));
        assertThat(db.rows("SELECT name FROM amocrm_deals")).extracting(row -> row.get("name"))
                .containsAll(List.of(names));
        assertThat(db.value("SELECT name FROM amocrm_deals WHERE amocrm_deal_id = ?", Long.toString(withNul.id())))
                .as("PostgreSQL cannot hold NUL: it is replaced, and the page is not lost")
                .isEqualTo("before\uFFFDafter");
        assertThat(db.value("SELECT metadata->>'rentprog_booking_id' FROM amocrm_deals WHERE amocrm_deal_id = ?",
                Long.toString(weird.id()))).isEqualTo("12.5");
        assertThat(db.count("SELECT count(*) FROM amocrm_deals WHERE jsonb_typeof(metadata) <> 'object'")).isZero();
    }

    private SyncReport run(SyncRequest request) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> sync.run(request));
        } catch (Throwable e) {
            throw new AssertionError("the sync failed: " + e.getMessage(), e);
        }
    }
}
