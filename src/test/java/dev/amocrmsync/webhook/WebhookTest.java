package dev.amocrmsync.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.cli.SchemaVersion;
import dev.amocrmsync.simulator.SimEntity;
import dev.amocrmsync.simulator.SimLead;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.sync.Serving;
import dev.amocrmsync.sync.SyncRequest;
import dev.amocrmsync.sync.SyncService;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.LegacyWebhook;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/** amoCRM webhooks in serve mode: stored at once, applied by id within seconds, never a loop of errors. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class WebhookTest {

    private static final String HOOK = "/webhooks/amocrm/test-hook";

    @Inject
    Serving serving;

    /** {@code /q/metrics} answers on the management interface, apart from webhooks. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Inject
    WebhookProcessor processor;

    @Inject
    SyncService sync;

    @Inject
    WebhookEventStore events;

    @Inject
    SchemaVersion schema;

    @Inject
    DataSource dataSource;

    Db db;
    SimulatedAccount account;

    @BeforeEach
    void mirroredAccount() throws Throwable {
        serving.start();
        db = new Db(dataSource);
        db.reset();
        db.update("DELETE FROM amocrm_webhook_events");
        account = SimulatorResource.serve(SimulatedAccount.withLeads(131, 60, Duration.ofDays(1)));
        VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental()));
    }

    @Test
    void changesAddsDeletionsAndRestorationsReachTheDatabase() throws Throwable {
        List<Long> ids = List.copyOf(account.liveLeads().keySet());
        account.edit(ids.get(0));
        SimLead added = account.addLead(account.now());
        account.delete(ids.get(1));

        post("leads[status][0][id]=" + ids.get(0) + "&leads[status][0][status_id]=142"
                + "&leads[add][0][id]=" + added.id() + "&leads[delete][0][id]=" + ids.get(1)
                + "&account[subdomain]=simulated" + account.accountId() + "&account[id]=" + account.accountId(), 200);
        assertThat(apply()).isEqualTo(3);

        Mirror.assertDatabaseEquals(db, account);
        assertThat(db.value("SELECT is_deleted FROM amocrm_deals WHERE amocrm_deal_id = ?", ids.get(1).toString()))
                .isEqualTo(true);

        account.restore(ids.get(1));
        post("leads%5Brestore%5D%5B0%5D%5Bid%5D=" + ids.get(1) + "&account%5Bid%5D=" + account.accountId(), 200);
        assertThat(apply()).isEqualTo(1);

        Mirror.assertDatabaseEquals(db, account);
        assertThat(db.count("SELECT count(*) FROM amocrm_webhook_events WHERE processed_at IS NULL")).isZero();
    }

    @Test
    void aMassEditOf30LeadsWith25CustomFieldsIsStoredAndAppliedWhole() throws Throwable {
        List<Long> ids = List.copyOf(account.liveLeads().keySet()).subList(0, 30);
        LegacyWebhook delivery = LegacyWebhook.of(account.accountId());
        for (int i = 0; i < ids.size(); i++) {
            delivery.item("leads", "update", i, ids.get(i), account.edit(ids.get(i)).updatedAt(), 25);
        }

        post(delivery.body(), 200);

        assertThat(db.count("SELECT count(*) FROM amocrm_webhook_events")).isEqualTo(30);
        assertThat(apply()).isEqualTo(30);
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aDeliveryOverTheSizeLimitIsRefusedWhole() {
        long id = account.liveLeads().keySet().iterator().next();
        LegacyWebhook delivery = LegacyWebhook.of(account.accountId())
                .item("leads", "update", 0, id, account.now(), 1)
                .param("leads[update][0][name]", "x".repeat(4 * 1024 * 1024));

        post(delivery.body(), 413);

        assertThat(db.count("SELECT count(*) FROM amocrm_webhook_events")).isZero();
    }

    @Test
    void anItemThatCannotBeReadIsSetAsideAndTheOthersAreStoredAndApplied() throws Throwable {
        List<Long> ids = List.copyOf(account.liveLeads().keySet()).subList(0, 5);
        LegacyWebhook delivery = LegacyWebhook.of(account.accountId());
        for (int i = 0; i < ids.size(); i++) {
            delivery.item("leads", "update", i, ids.get(i), account.edit(ids.get(i)).updatedAt(), 2);
        }
        delivery.idOnly("leads", "update", 5, "not-a-number")
                .param("leads[update][0][name]", "a NUL \0 in a name");

        post(delivery.body(), 200);

        assertThat(db.rows("SELECT event_type, error FROM amocrm_webhook_events WHERE error IS NOT NULL"))
                .extracting(row -> row.get("event_type") + ": " + row.get("error"))
                .containsExactly("malformed: webhook item leads[update][5] skipped: id 'not-a-number' is not a number");
        assertThat(apply()).isEqualTo(5);
        Mirror.assertDatabaseEquals(db, account);
        assertThat(given().port(management.getPort()).get("/q/metrics").then().extract().asString())
                .containsPattern("amocrm_sync_webhook_items_skipped_total\\{account=\"[^\"]+\",list=\"leads\"}");
    }

    @Test
    void aDeliveryTheDatabaseRefusesIsAnswered503AndStoredWhenAmoCrmDeliversItAgain() throws Throwable {
        long id = account.liveLeads().keySet().iterator().next();
        String body = LegacyWebhook.of(account.accountId())
                .item("leads", "update", 0, id, account.edit(id).updatedAt(), 1).body();
        db.update("""
                CREATE FUNCTION refuse_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the disk is full'; END $$""");
        db.update("CREATE TRIGGER refuse BEFORE INSERT ON amocrm_webhook_events EXECUTE FUNCTION refuse_webhooks()");
        try {
            post(body, 503);
        } finally {
            db.update("DROP TRIGGER refuse ON amocrm_webhook_events");
            db.update("DROP FUNCTION refuse_webhooks()");
        }
        assertThat(db.count("SELECT count(*) FROM amocrm_webhook_events")).isZero();

        post(body, 200);

        assertThat(apply()).isEqualTo(1);
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void anotherAccountsDeliveryIsRefusedAndItsEventsAreNeverClaimed() throws Throwable {
        long id = account.liveLeads().keySet().iterator().next();
        long other = account.accountId() + 1;

        post(LegacyWebhook.of(other).idOnly("leads", "delete", 0, Long.toString(id)).body(), 403);
        post("leads[delete][0][id]=" + id + "&account[subdomain]=simulated" + other, 403);
        post("leads[delete][0][id]=" + id, 400);

        assertThat(db.count("SELECT count(*) FROM amocrm_webhook_events WHERE event_type <> 'malformed'")).isZero();
        // as an earlier version stored it, or another account's serve pointed at this schema
        db.update("""
                INSERT INTO amocrm_webhook_events (event_type, entity_type, entity_id, dedupe_hash, payload, account_id)
                VALUES ('delete', 'leads', ?, 'theirs', '{}', ?)""", id, other);
        assertThat(apply()).isZero();
        assertThat(db.rows("SELECT claimed_by, processed_at FROM amocrm_webhook_events WHERE dedupe_hash = 'theirs'"))
                .singleElement().satisfies(row -> assertThat(row.values()).containsOnlyNulls());
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aRepeatedDeliveryIsAppliedOnce() throws Throwable {
        long id = account.liveLeads().keySet().iterator().next();
        String body = "leads[update][0][id]=" + id + "&leads[update][0][last_modified]=1731000000&account[id]="
                + account.accountId();

        post(body, 200);
        post(body, 200);

        assertThat(db.count("SELECT count(*) FROM amocrm_webhook_events")).isEqualTo(1);
        assertThat(apply()).isEqualTo(1);
        assertThat(apply()).isZero();
    }

    @Test
    void aWrongOrMissingSecretChangesNothing() {
        given().contentType("application/x-www-form-urlencoded").body("leads[add][0][id]=1&account[id]=1")
                .post("/webhooks/amocrm/not-the-secret").then().statusCode(404);
        given().contentType("application/x-www-form-urlencoded").body("leads[add][0][id]=1&account[id]=1")
                .post("/webhooks/amocrm/").then().statusCode(404);

        assertThat(db.count("SELECT count(*) FROM amocrm_webhook_events")).isZero();
    }

    @Test
    void aUrlNamingAnotherAccountChangesNothingEvenWithTheRightSecret() {
        given().contentType("application/x-www-form-urlencoded").body("leads[add][0][id]=1&account[id]=1")
                .post("/webhooks/amocrm/another-account/test-hook").then().statusCode(404);

        assertThat(db.count("SELECT count(*) FROM amocrm_webhook_events")).isZero();
    }

    @Test
    void aMalformedDeliveryIsRefusedAndKeptWithTheReason() {
        post("{\"this\": \"is not a webhook\"}", 400);

        assertThat(db.rows("SELECT event_type, error FROM amocrm_webhook_events ORDER BY id"))
                .extracting(row -> row.get("event_type") + ": " + row.get("error"))
                .containsExactly(
                        "malformed: not an amoCRM webhook: no account and no item of a mirrored entity");
    }

    @Test
    void eventsOfOneDeliveryAreAppliedInTimeOrderAndASecondDeletionAfterARestoreCounts() throws Throwable {
        List<Long> ids = List.copyOf(account.liveLeads().keySet());
        long flipped = ids.get(0);
        long edited = ids.get(1);
        account.delete(flipped);
        account.edit(edited);

        // amoCRM lists items by kind, not by time: the status change (100) happened before the update (200)
        post("leads[update][0][id]=" + edited + "&leads[update][0][last_modified]=200"
                + "&leads[status][0][id]=" + edited + "&leads[status][0][last_modified]=100"
                + "&leads[delete][0][id]=" + flipped + "&leads[restore][0][id]=" + flipped
                + "&leads[delete][1][id]=" + flipped + "&account[id]=" + account.accountId(), 200);

        assertThat(db.rows("SELECT event_type FROM amocrm_webhook_events WHERE entity_id = ? ORDER BY id", edited))
                .extracting(row -> row.get("event_type")).containsExactly("status", "update");
        assertThat(db.rows("SELECT event_type FROM amocrm_webhook_events WHERE entity_id = ? ORDER BY id", flipped))
                .extracting(row -> row.get("event_type")).containsExactly("delete", "restore", "delete");
        assertThat(apply()).isEqualTo(5);
        Mirror.assertDatabaseEquals(db, account);
        assertThat(db.value("SELECT is_deleted FROM amocrm_deals WHERE amocrm_deal_id = ?", Long.toString(flipped)))
                .isEqualTo(true);
    }

    @Test
    void deleteRestoreDeleteInThreeDeliveriesIsThreeEventsButARepeatIsOne() throws Throwable {
        long id = account.liveLeads().keySet().iterator().next();
        String delete = "leads[delete][0][id]=" + id + "&account[id]=" + account.accountId();

        post(delete, 200);
        post(delete, 200);
        post("leads[restore][0][id]=" + id + "&account[id]=" + account.accountId(), 200);
        post(delete, 200);
        account.delete(id);

        assertThat(db.rows("SELECT event_type FROM amocrm_webhook_events ORDER BY id")).extracting(row -> row.get("event_type"))
                .containsExactly("delete", "restore", "delete");
        assertThat(apply()).isEqualTo(3);
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aReceiveTheDatabaseCannotTakeInTimeIsAnswered503AndGivesItsConnectionBackWithNoTransactionOpen()
            throws Throwable {
        long id = account.liveLeads().keySet().iterator().next();
        int timedOut = 25; // more than the reactive pool holds (20 by default)
        ExecutorService amoCrm = Executors.newFixedThreadPool(timedOut);
        try (Connection locker = PostgresResource.dataSource().getConnection()) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("LOCK TABLE amocrm_webhook_events IN ACCESS EXCLUSIVE MODE");
            List<Future<?>> deliveries = new ArrayList<>();
            for (int i = 0; i < timedOut; i++) {
                String body = "leads[update][0][id]=" + id + "&leads[update][0][last_modified]=" + (1_000 + i)
                        + "&account[id]=" + account.accountId();
                // not stored: amoCRM must deliver it again
                deliveries.add(amoCrm.submit(() -> post(body, 503)));
            }
            for (Future<?> delivery : deliveries) {
                delivery.get();
            }

            // the table is still locked: nothing of the application may still wait on it, or sit in a transaction
            PackagedApp.await("every receive gave its connection back", Duration.ofSeconds(20),
                    () -> busyConnections().isEmpty());
            assertThat(VertxContextSupport.subscribeAndAwait(
                    () -> schema.current().ifNoItem().after(Duration.ofSeconds(5)).fail()))
                    .as("the pool serves other work").isTrue();
            locker.rollback();
        } finally {
            amoCrm.shutdown();
        }

        assertThat(db.count("SELECT count(*) FROM amocrm_webhook_events")).as("every receive rolled back").isZero();
        post("leads[update][0][id]=" + id + "&leads[update][0][last_modified]=5000&account[id]=" + account.accountId(), 200);
        assertThat(db.count("SELECT count(*) FROM amocrm_webhook_events")).as("stored once the table is free").isEqualTo(1);
        assertThat(apply()).isEqualTo(1);
        assertThat(busyConnections()).isEmpty();
    }

    /** The application's connections waiting on a lock, or holding a transaction open, as an operator would look. */
    private List<Map<String, Object>> busyConnections() {
        return db
                .rows("""
                        SELECT pid, state, wait_event_type, query FROM pg_stat_activity
                        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND application_name <> 'PostgreSQL JDBC Driver'
                          AND (state LIKE 'idle in transaction%' OR wait_event_type = 'Lock')""");
    }

    @Test
    void aLeadsEventsClaimedByOneApplierAreNotGivenToAnotherUntilTheLeaseRunsOut() throws Throwable {
        List<Long> ids = List.copyOf(account.liveLeads().keySet());
        post("leads[update][0][id]=" + ids.get(0) + "&leads[update][0][last_modified]=1&account[id]=" + account.accountId(),
                200);
        post("leads[update][0][id]=" + ids.get(1) + "&leads[update][0][last_modified]=1&account[id]=" + account.accountId(),
                200);

        List<WebhookEventStore.Pending> first = claim("a", Duration.ofMinutes(5), 1);
        post("leads[update][0][id]=" + ids.get(0) + "&leads[update][0][last_modified]=2&account[id]=" + account.accountId(),
                200);
        List<WebhookEventStore.Pending> second = claim("b", Duration.ofMinutes(5), 10);

        assertThat(first).extracting(WebhookEventStore.Pending::entityId).containsExactly(ids.get(0));
        assertThat(second).as("the lead a holds stays with a, its later event too")
                .extracting(WebhookEventStore.Pending::entityId).containsExactly(ids.get(1));
        assertThat(claim("b", Duration.ZERO, 10)).as("a's lease ran out: b takes over")
                .extracting(WebhookEventStore.Pending::entityId).containsExactly(ids.get(0), ids.get(1), ids.get(0));
        List<Long> claimedByA = first.stream().map(WebhookEventStore.Pending::id).toList();
        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> events.markProcessed("a", claimedByA))))
                .isInstanceOf(WebhookEventStore.ClaimLost.class);
        assertThat(db.count("SELECT count(*) FROM amocrm_webhook_events WHERE processed_at IS NOT NULL")).isZero();
    }

    @Test
    void contactAndCompanyChangesDeletionsAndRestorationsReachTheirTables() throws Throwable {
        mirrorContactsAndCompanies();
        List<Long> contacts = List.copyOf(account.liveContacts().keySet());
        List<Long> companies = List.copyOf(account.liveCompanies().keySet());
        long edited = contacts.get(0);
        long goneContact = contacts.get(1);
        long company = companies.get(0);
        long goneCompany = companies.get(1);
        account.editContact(edited);
        account.deleteContact(goneContact);
        account.editCompany(company);
        account.deleteCompany(goneCompany);

        post("contacts[update][0][id]=" + edited + "&contacts[update][0][last_modified]=" + account.now()
                + "&contacts[update][0][type]=contact&contacts[delete][0][id]=" + goneContact
                + "&companies[update][0][id]=" + company + "&companies[update][0][last_modified]=" + account.now()
                + "&companies[delete][0][id]=" + goneCompany + "&account[subdomain]=simulated" + account.accountId()
                + "&account[id]=" + account.accountId(), 200);
        assertThat(apply()).isEqualTo(4);

        assertContactIsMirrored(edited);
        assertCompanyIsMirrored(company);
        assertFlagged("amocrm_contacts", "amocrm_contact_id", goneContact, true);
        assertFlagged("amocrm_companies", "amocrm_company_id", goneCompany, true);

        // edited after the restoration, before the webhook arrives: the restoration reads the contact again
        account.restoreContact(goneContact);
        account.editContact(goneContact);
        account.restoreCompany(goneCompany);
        post("contacts[restore][0][id]=" + goneContact + "&companies[restore][0][id]=" + goneCompany
                + "&account[id]=" + account.accountId(), 200);
        assertThat(apply()).isEqualTo(2);

        assertFlagged("amocrm_contacts", "amocrm_contact_id", goneContact, false);
        assertFlagged("amocrm_companies", "amocrm_company_id", goneCompany, false);
        assertContactIsMirrored(goneContact);
        assertCompanyIsMirrored(goneCompany);
        assertThat(db.count("SELECT count(*) FROM amocrm_webhook_events WHERE processed_at IS NULL")).isZero();
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aCompanyDeliveredUnderContactsLandsInCompanies() throws Throwable {
        mirrorContactsAndCompanies();
        long company = account.liveCompanies().keySet().iterator().next();
        account.editCompany(company);

        post("contacts[update][0][id]=" + company + "&contacts[update][0][type]=company"
                + "&contacts[update][0][last_modified]=" + account.now() + "&account[id]=" + account.accountId(), 200);

        assertThat(db.rows("SELECT entity_type FROM amocrm_webhook_events")).extracting(row -> row.get("entity_type"))
                .containsExactly("companies");
        assertThat(apply()).isEqualTo(1);
        assertCompanyIsMirrored(company);
    }

    @Test
    void aLeadAndAContactWithTheSameIdAreTwoItemsForRepeatsAndClaims() throws Throwable {
        long id = account.liveLeads().keySet().iterator().next();
        post("leads[update][0][id]=" + id + "&leads[update][0][last_modified]=7&account[id]=" + account.accountId(), 200);
        post("contacts[update][0][id]=" + id + "&contacts[update][0][last_modified]=7&account[id]=" + account.accountId(), 200);
        post("contacts[delete][0][id]=" + id + "&account[id]=" + account.accountId(), 200);
        post("leads[delete][0][id]=" + id + "&account[id]=" + account.accountId(), 200);

        assertThat(db.rows("SELECT entity_type || ' ' || event_type AS event FROM amocrm_webhook_events ORDER BY id"))
                .extracting(row -> row.get("event"))
                .containsExactly("leads update", "contacts update", "contacts delete", "leads delete");
        List<WebhookEventStore.Pending> first = claim("a", Duration.ofMinutes(5), 1);
        List<WebhookEventStore.Pending> second = claim("b", Duration.ofMinutes(5), 10);
        assertThat(first).extracting(WebhookEventStore.Pending::entity).containsExactly("leads");
        assertThat(second).as("the lead stays with a, the contact of the same id is b's")
                .extracting(event -> event.entity() + " " + event.eventType())
                .containsExactly("contacts update", "contacts delete");
    }

    @Test
    void tasksAndNotesComeByWebhookTooAsTheirDescriptionsRouteThem() throws Throwable {
        db.reset();
        account = SimulatorResource.serve(SimulatedAccount.withEntities(132, 40, 20, 5, 60, 80, Duration.ofDays(1)));
        VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental()));
        long task = account.tasks().live().keySet().iterator().next();
        account.tasks().complete(task, "договорились");
        long gone = account.tasks().live().keySet().stream().skip(1).findFirst().orElseThrow();
        account.tasks().delete(gone);
        long lead = account.liveLeads().keySet().iterator().next();
        var note = account.notes().addCall("leads", lead, true, true);

        post("task[update][0][id]=" + task + "&task[update][0][last_modified]=" + account.now()
                + "&task[delete][0][id]=" + gone + "&leads[note][0][note][id]=" + note.id()
                + "&leads[note][0][note][element_id]=" + lead + "&account[id]=" + account.accountId(), 200);

        assertThat(db.rows("SELECT entity_type || ' ' || event_type AS event FROM amocrm_webhook_events ORDER BY id"))
                .extracting(row -> row.get("event"))
                .containsExactlyInAnyOrder("tasks update", "tasks delete", "leads note", "lead_notes note");
        apply();
        assertThat(db.rows("SELECT is_completed, result_text FROM amocrm_tasks WHERE amocrm_task_id = ?", task))
                .singleElement().satisfies(row -> assertThat(row.get("result_text")).isEqualTo("договорились"));
        assertThat(db.value("SELECT is_deleted FROM amocrm_tasks WHERE amocrm_task_id = ?", gone)).isEqualTo(true);
        assertThat(db.count("SELECT count(*) FROM amocrm_calls WHERE amocrm_note_id = " + note.id()
                + " AND amocrm_deal_id = '" + lead + "'")).isOne();
    }

    /** The account of the other tests, with contacts and companies linked to its leads, mirrored. */
    private void mirrorContactsAndCompanies() throws Throwable {
        db.reset();
        account = SimulatorResource.serve(SimulatedAccount.withEntities(131, 60, 40, 15, Duration.ofDays(1)));
        VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental()));
        assertThat(db.count("SELECT count(*) FROM amocrm_contacts")).isEqualTo(40);
        assertThat(db.count("SELECT count(*) FROM amocrm_companies")).isEqualTo(15);
    }

    private void assertContactIsMirrored(long id) {
        assertIsMirrored("contact", account.contact(id));
    }

    private void assertCompanyIsMirrored(long id) {
        assertIsMirrored("company", account.company(id));
    }

    /** The row of a contact or company ({@code one}) holds amoCRM's version of it, live. */
    private void assertIsMirrored(String one, SimEntity item) {
        String table = one.equals("company") ? "amocrm_companies" : "amocrm_contacts";
        assertThat(db.rows("""
                SELECT name, CAST(extract(epoch FROM updated_at) AS bigint) AS updated_at, is_deleted
                FROM %s WHERE amocrm_%s_id = ?""".formatted(table, one), item.id()))
                .as("%s %d", one, item.id()).singleElement()
                .satisfies(row -> {
                    assertThat(row.get("name")).isEqualTo(item.name());
                    assertThat(row.get("updated_at")).isEqualTo(item.updatedAt());
                    assertThat(row.get("is_deleted")).isEqualTo(false);
                });
    }

    /** Flagged with a deletion time no later than amoCRM's present, or live with none. */
    private void assertFlagged(String table, String key, long id, boolean deleted) {
        assertThat(db.rows("SELECT is_deleted, CAST(extract(epoch FROM deleted_at) AS bigint) AS deleted_at FROM "
                + table + " WHERE " + key + " = ?", id))
                .as("%s %d", table, id).singleElement()
                .satisfies(row -> {
                    assertThat(row.get("is_deleted")).isEqualTo(deleted);
                    if (deleted) {
                        assertThat((Long) row.get("deleted_at")).isNotNull().isLessThanOrEqualTo(account.now());
                    } else {
                        assertThat(row.get("deleted_at")).isNull();
                    }
                });
    }

    private List<WebhookEventStore.Pending> claim(String claimer, Duration lease, int limit) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> events.claim(claimer, lease, limit, account.accountId(),
                "simulated" + account.accountId()));
    }

    private static void post(String body, int status) {
        given().contentType("application/x-www-form-urlencoded").body(body).post(HOOK).then().statusCode(status);
    }

    private int apply() throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> processor.applyPending());
    }
}
