package dev.amocrmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.amocrm.MalformedResponse;
import dev.amocrmsync.simulator.SimContact;
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
 * One bad item never stops a table: what PostgreSQL cannot hold as sent is kept in a form it can, and an item it still
 * refuses is quarantined alone while its page, the pages after it and the cursor move on.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class BadRowsTest {

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

    @Test
    void aLoneSurrogateIsStoredAsTheReplacementCharacterAndItsPageIsKept() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(301, 600, Duration.ofDays(2)));
        long at = account.now() - 7_200;
        // valid JSON that jsonb refuses: a high surrogate escape with no low one after it
        account.addVerbatim(92_000_001, at, "{\"id\": 92000001, \"updated_at\": " + at
                + ", \"name\": \"x\\ud800y\", \"custom_fields_values\": [{\"field_id\": 1, \"values\": [{\"value\":"
                + " \"\\udc00 alone\"}]}]}");

        SyncReport report = run(SyncRequest.incremental());

        assertThat(report.outcome()).isEqualTo(SyncReport.Outcome.SUCCEEDED);
        assertThat(db.value("SELECT name FROM amocrm_deals WHERE amocrm_deal_id = '92000001'")).isEqualTo("x\uFFFDy");
        assertThat(db.value("SELECT metadata #>> '{custom_fields_values,0,values,0,value}' FROM amocrm_deals"
                + " WHERE amocrm_deal_id = '92000001'")).isEqualTo("\uFFFD alone");
        Mirror.assertDatabaseEquals(db, account, Set.of(92_000_001L));
    }

    @Test
    void aValuePostgreSQLRefusesSetsAsideOnlyItsLeadTheCursorMovesAndLaterRunsReadItAgainUntilItStores() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(302, 600, Duration.ofDays(2)));
        long at = account.now() - 7_200;
        // a closing date three million years ahead: a long to Java, out of range for timestamptz (SQLSTATE 22008)
        account.addVerbatim(92_000_002, at, lead(92_000_002, at, "far future", "99999999999999"));
        account.addVerbatim(92_000_003, at, lead(92_000_003, at, "deleted while set aside", "99999999999999"));

        SyncReport first = run(SyncRequest.incremental());

        assertThat(first.outcome()).isEqualTo(SyncReport.Outcome.QUARANTINED);
        assertThat(first.quarantined()).isEqualTo(2);
        assertThat(db.rows("SELECT amocrm_deal_id, reason, CAST(raw AS text) AS raw, attempts FROM sync_quarantine"
                + " WHERE amocrm_deal_id = '92000002'")).singleElement().satisfies(row -> {
                    assertThat((String) row.get("reason")).contains("PostgreSQL refused it", "SQLSTATE 22008");
                    assertThat((String) row.get("raw")).as("kept as received").contains("far future");
                });
        Mirror.assertDatabaseEquals(db, account, Set.of(92_000_002L, 92_000_003L));
        assertThat(db.value("SELECT plan_from FROM sync_state WHERE entity = 'leads'")).as("the plan completed").isNull();
        assertThat(db.count("SELECT count(*) FROM sync_state WHERE entity = 'leads' AND cursor_at IS NOT NULL"))
                .as("the cursor moved").isEqualTo(1);

        SyncTest.nextSecond();
        SimulatorResource.server().stats().reset();
        SyncReport second = run(SyncRequest.incremental());

        assertThat(second.outcome()).as("still refused: said again").isEqualTo(SyncReport.Outcome.QUARANTINED);
        assertThat(SimulatorResource.server().stats().recentRequests()).as("read again by id")
                .anyMatch(request -> request.contains("filter[id][]=92000002"));
        assertThat(db.rows("SELECT attempts, resolved_at FROM sync_quarantine WHERE amocrm_deal_id = '92000002'"))
                .as("one open row per item").singleElement()
                .satisfies(row -> assertThat(row.get("attempts")).isEqualTo(2))
                .satisfies(row -> assertThat(row.get("resolved_at")).isNull());

        // fixed in amoCRM without moving updated_at: only reading the quarantine again finds it
        account.addVerbatim(92_000_002, at, lead(92_000_002, at, "far future", "null"));
        account.delete(92_000_003);
        SyncTest.nextSecond();
        SyncReport third = run(SyncRequest.incremental());

        assertThat(third.outcome()).isEqualTo(SyncReport.Outcome.SUCCEEDED);
        assertThat(db.value("SELECT name FROM amocrm_deals WHERE amocrm_deal_id = '92000002'")).isEqualTo("far future");
        assertThat(db.rows("SELECT amocrm_deal_id, resolution FROM sync_quarantine WHERE resolved_at IS NOT NULL"
                + " ORDER BY amocrm_deal_id")).extracting(row -> row.get("amocrm_deal_id") + ": " + row.get("resolution"))
                .containsExactly("92000002: stored", "92000003: no longer listed by amoCRM");
        assertThat(db.count("SELECT count(*) FROM sync_quarantine WHERE resolved_at IS NULL")).isZero();
    }

    @Test
    void aRentProgIdLongerThanAnIndexEntryIsKeptWhole() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(303, 300, Duration.ofDays(1)));
        String booking = incompressible(4_000);
        SimLead lead = account.addLead(account.now() - 600);
        account.setCustomFields(lead.id(), "[{\"field_id\": 902255, \"field_name\": \"RentProg\", \"field_type\":"
                + " \"text\", \"values\": [{\"value\": \"" + booking + "\"}]}]");
        SyncTest.nextSecond();

        SyncReport report = run(SyncRequest.incremental());

        assertThat(report.outcome()).isEqualTo(SyncReport.Outcome.SUCCEEDED);
        assertThat(db.value("SELECT amocrm_deal_id FROM amocrm_deals WHERE metadata ->> 'rentprog_booking_id' = ?",
                booking)).isEqualTo(Long.toString(lead.id()));
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aContactWithAnEmailLongerThanAnIndexEntryIsKeptWithTheValueLeftOutOfTheIndex() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withEntities(304, 50, 200, 20,
                Duration.ofDays(1)));
        String longValue = incompressible(3_000) + "@example.test";
        SimContact contact = account.addContact(account.now() - 600);
        account.putContact(new SimContact(contact.id(), contact.name(), contact.firstName(), contact.lastName(),
                contact.responsibleUserId(), contact.groupId(), contact.createdBy(), contact.updatedBy(),
                contact.createdAt(), contact.updatedAt(), "[{\"field_id\": 1100003, \"field_name\": \"Email\","
                        + " \"field_code\": \"EMAIL\", \"field_type\": \"multitext\", \"values\": [{\"value\":"
                        + " \"" + longValue + "\", \"enum_code\": \"WORK\"}, {\"value\": \"Short@Example.Test\","
                        + " \"enum_code\": \"PRIV\"}]}]",
                null, java.util.List.of()));
        SyncTest.nextSecond();

        SyncReport report = run(SyncRequest.incremental());

        assertThat(report.outcome()).isEqualTo(SyncReport.Outcome.SUCCEEDED);
        assertThat(db.value("SELECT CAST(emails AS text) FROM amocrm_contacts WHERE amocrm_contact_id = ?", contact.id()))
                .isEqualTo("{short@example.test}");
        assertThat(db.value("SELECT custom_fields #>> '{0,values,0,value}' FROM amocrm_contacts"
                + " WHERE amocrm_contact_id = ?", contact.id())).isEqualTo(longValue);
        Mirror.assertEntitiesEqual(db, account);
    }

    @Test
    void aFullPageOfItemsWithoutKeysIsAMalformedAnswerNotTheEndOfTheWindow() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(305, 300, Duration.ofDays(1)));
        long start = account.now() - 3 * 86_400;
        for (int i = 0; i < 250; i++) {
            // listed first (oldest), none with an updated_at to move the window's keyset by
            account.addVerbatim(93_000_000 + i, start + i, "{\"id\": " + (93_000_000 + i) + ", \"name\": \"no date\"}");
        }

        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental())))
                .isInstanceOf(MalformedResponse.class)
                .hasMessageContaining("a full page of 250 leads of which none has a numeric id and updated_at");
        assertThat(db.count("SELECT count(*) FROM sync_state WHERE entity = 'leads' AND cursor_at IS NOT NULL"))
                .as("the cursor stays")
                .isZero();
        assertThat(db.value("SELECT status FROM sync_runs")).isEqualTo("failed");
    }

    /** A verbatim lead with this closing date (unix seconds, or {@code null}). */
    private static String lead(long id, long updatedAt, String name, String closedAt) {
        return "{\"id\": " + id + ", \"updated_at\": " + updatedAt + ", \"name\": \"" + name + "\", \"closed_at\": "
                + closedAt + "}";
    }

    /** Letters and digits PostgreSQL's compression cannot shrink, so their size in an index entry is their length. */
    private static String incompressible(int length) {
        java.util.Random random = new java.util.Random(length);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private SyncReport run(SyncRequest request) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> sync.run(request));
        } catch (Throwable e) {
            throw new AssertionError("the sync failed: " + e.getMessage(), e);
        }
    }
}
