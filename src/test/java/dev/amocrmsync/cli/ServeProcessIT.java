package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.amocrmsync.simulator.SimContact;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.LegacyWebhook;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.ShiftedClock;
import dev.amocrmsync.testing.SimulatorResource;
import dev.amocrmsync.testing.TestDatabase;
import io.vertx.core.Vertx;

/**
 * {@code serve} as deployed: the packaged application as a long-running process with its scheduler on, a cron of
 * seconds, webhooks POSTed to its port, stopped by SIGTERM, and two replicas sharing one database.
 */
class ServeProcessIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration LAND = Duration.ofSeconds(60);
    private static final String SECRET = "fake-webhook-secret-" + UUID.randomUUID();
    private static final Pattern APPLIED = Pattern.compile("Webhooks: (\\d+) events applied");

    private final SimulatorServer simulator = SimulatorResource.server();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<PackagedApp> started = new ArrayList<>();
    // each process' management port (/q/health, /q/metrics), by its public port (webhooks only)
    private final Map<Integer, Integer> managementPorts = new HashMap<>();
    private Db db;
    private SimulatedAccount account;

    @BeforeEach
    void freshDatabase() {
        db = TestDatabase.emptied();
    }

    @AfterEach
    void stopEveryProcess() {
        for (PackagedApp app : started) {
            if (app.isAlive()) {
                app.kill();
            }
        }
    }

    @Test
    void scheduledSyncsKeepTheTableEqualToAmoCrm() {
        account = SimulatorResource.serve(SimulatedAccount.withLeads(201, 400, Duration.ofDays(3)));
        Map<String, String> settings = settings(freePort());
        settings.put("AMOCRM_SYNC_CRON", "0/2 * * * * ?");
        settings.put("AMOCRM_SYNC_RUN_AT_START", "false");
        PackagedApp serve = start(settings);

        PackagedApp.await("the first scheduled sync lands", LAND, this::mirrored);
        List<Long> edited = account.editRandom(25);
        account.addLeads(10, Duration.ofMinutes(1));
        account.delete(edited.get(0));
        account.rename(edited.get(1), "renamed while serving");

        // a run's pages commit before its row says succeeded: the second success is awaited, not assumed
        PackagedApp.await("the edits land with the next scheduled syncs", LAND,
                () -> mirrored() && db.count("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") >= 2);
        assertThat(serve.isAlive()).as(serve.output()).isTrue();
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void webhooksLandWithinSecondsWithoutASyncHavingRunInTheProcess() {
        account = SimulatorResource.serve(SimulatedAccount.withLeads(202, 50, Duration.ofDays(3)));
        int port = freePort();
        Map<String, String> settings = settings(port);
        // no sync at all in this process: access must be activated by the webhook applier itself
        settings.put("AMOCRM_SYNC_CRON", "off");
        settings.put("AMOCRM_SYNC_RUN_AT_START", "false");
        PackagedApp serve = start(settings);
        awaitServing(serve, port);
        List<Long> ids = List.copyOf(account.liveLeads().keySet());
        long changed = ids.get(0);
        long deleted = ids.get(1);
        account.rename(changed, "changed in amoCRM");
        account.delete(deleted);

        assertThat(deliver(port, "leads[update][0][id]=" + changed + "&leads[update][0][last_modified]="
                + account.lead(changed).updatedAt() + "&leads[delete][0][id]=" + deleted + "&account[id]="
                + account.accountId())).isEqualTo(200);

        PackagedApp.await("the webhook's events are applied", Duration.ofSeconds(15),
                () -> db.count("SELECT count(*) FROM amocrm_webhook_events WHERE processed_at IS NULL") == 0
                        && db.count("SELECT count(*) FROM amocrm_deals") == 1);
        Set<Long> untouched = new HashSet<>(ids);
        untouched.remove(changed);
        Mirror.assertDatabaseEquals(db, account, untouched);
        assertThat(db.count("SELECT count(*) FROM sync_runs")).as("no sync ran").isZero();
        assertThat(serve.output()).doesNotContain("activate() must run");
    }

    @Test
    void aContactWebhookLandsAndOneForAnEntityNotMirroredIsMarkedProcessedWithoutARequest() {
        account = SimulatorResource.serve(SimulatedAccount.withEntities(207, 30, 20, 6, Duration.ofDays(3)));
        AtomicInteger companyRequests = new AtomicInteger();
        account.onCompaniesRequest(query -> companyRequests.incrementAndGet());
        int port = freePort();
        Map<String, String> settings = settings(port);
        settings.put("AMOCRM_SYNC_ENTITIES", "leads,contacts");
        settings.put("AMOCRM_SYNC_CRON", "off");
        settings.put("AMOCRM_SYNC_RUN_AT_START", "false");
        PackagedApp serve = start(settings);
        awaitServing(serve, port);
        long contact = account.liveContacts().keySet().iterator().next();
        long company = account.liveCompanies().keySet().iterator().next();
        SimContact edited = account.editContact(contact);
        account.editCompany(company);

        assertThat(deliver(port, "contacts[update][0][id]=" + contact + "&contacts[update][0][type]=contact"
                + "&contacts[update][0][last_modified]=" + edited.updatedAt() + "&contacts[update][1][id]=" + company
                + "&contacts[update][1][type]=company&contacts[update][1][last_modified]=" + edited.updatedAt()
                + "&account[id]=" + account.accountId())).as(serve.output()).isEqualTo(200);

        PackagedApp.await("the webhook's events are applied", Duration.ofSeconds(15),
                () -> db.count("SELECT count(*) FROM amocrm_webhook_events WHERE processed_at IS NULL") == 0
                        && db.count("SELECT count(*) FROM amocrm_contacts") == 1);
        assertThat(db.rows("""
                SELECT amocrm_contact_id, name, CAST(extract(epoch FROM updated_at) AS bigint) AS updated_at
                FROM amocrm_contacts""")).singleElement().satisfies(row -> {
            assertThat(row.get("amocrm_contact_id")).isEqualTo(contact);
            assertThat(row.get("name")).isEqualTo(edited.name());
            assertThat(row.get("updated_at")).isEqualTo(edited.updatedAt());
        });
        assertThat(db.rows("SELECT entity_type, processed_at IS NOT NULL AS done FROM amocrm_webhook_events ORDER BY id"))
                .extracting(row -> row.get("entity_type") + " " + row.get("done"))
                .containsExactly("contacts true", "companies true");
        assertThat(db.count("SELECT count(*) FROM amocrm_companies")).as("companies are not mirrored").isZero();
        assertThat(companyRequests).as("no request for a company").hasValue(0);
        assertThat(serve.isAlive()).as(serve.output()).isTrue();
    }

    @Test
    void webhookEventsWaitStoredWhileAccessCannotBeChosenAndLandOnceItCan() throws IOException {
        account = SimulatorResource.serve(SimulatedAccount.withLeads(205, 50, Duration.ofDays(3)));
        StandInSessionService session = StandInSessionService.start(simulator.url());
        try {
            int port = freePort();
            Map<String, String> settings = settings(port);
            settings.remove("AMOCRM_ACCESS_TOKEN");
            settings.put("AMOCRM_PLAYWRIGHT_URL", session.url());
            settings.put("AMOCRM_SYNC_CRON", "off");
            // the first sync runs while the session service is still logging in, and fails
            PackagedApp serve = start(settings);
            awaitServing(serve, port);
            long changed = account.liveLeads().keySet().iterator().next();
            account.rename(changed, "changed while the session service logs in");
            assertThat(deliver(port, "leads[update][0][id]=" + changed + "&leads[update][0][last_modified]="
                    + account.lead(changed).updatedAt() + "&account[id]=" + account.accountId())).isEqualTo(200);

            PackagedApp.await("a try to apply fails", LAND, () -> serve.output().contains("Webhook events wait"));
            assertThat(serve.output()).as("the first sync failed").contains("Sync failed");
            assertThat(db.count("SELECT count(*) FROM amocrm_webhook_events WHERE processed_at IS NULL")).isEqualTo(1);
            session.loggedIn();

            PackagedApp.await("the stored event is applied", LAND, () -> db.count("SELECT count(*) FROM amocrm_deals") == 1);
            Set<Long> untouched = new HashSet<>(account.liveLeads().keySet());
            untouched.remove(changed);
            Mirror.assertDatabaseEquals(db, account, untouched);
        } finally {
            session.stop();
        }
    }

    @Test
    void receivesTheDatabaseCannotTakeInTimeAreAnswered503AndGiveTheirConnectionsBack() throws Exception {
        account = SimulatorResource.serve(SimulatedAccount.withLeads(206, 50, Duration.ofDays(3)));
        int port = freePort();
        Map<String, String> settings = settings(port);
        settings.put("AMOCRM_SYNC_CRON", "off");
        settings.put("AMOCRM_SYNC_RUN_AT_START", "false");
        PackagedApp serve = start(settings);
        awaitServing(serve, port);
        long lead = account.liveLeads().keySet().iterator().next();
        int deliveries = 25; // more than the process's pool holds (20)
        ExecutorService amoCrm = Executors.newFixedThreadPool(deliveries);
        try (Connection locker = PostgresResource.dataSource().getConnection()) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("LOCK TABLE amocrm_webhook_events IN ACCESS EXCLUSIVE MODE");
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < deliveries; i++) {
                String body = "leads[update][0][id]=" + lead + "&leads[update][0][last_modified]=" + (1_000 + i)
                        + "&account[id]=" + account.accountId();
                answers.add(amoCrm.submit(() -> deliver(port, body)));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).as("answered in time: not stored, so amoCRM delivers it again").isEqualTo(503);
            }

            // the table is still locked: no receive of serve may wait on it, no connection sit in a transaction
            PackagedApp.await("every receive gave its connection back", LAND, () -> busyConnections().stream()
                    .allMatch(busy -> "active".equals(busy.get("state")) && busy.get("query").toString().contains("claimed")));
            locker.rollback();
        } finally {
            amoCrm.shutdown();
        }

        assertThat(db.count("SELECT count(*) FROM amocrm_webhook_events")).as("every receive rolled back").isZero();
        account.rename(lead, "changed after the database was slow");
        assertThat(deliver(port, "leads[update][0][id]=" + lead + "&leads[update][0][last_modified]="
                + account.lead(lead).updatedAt() + "&account[id]=" + account.accountId())).isEqualTo(200);
        PackagedApp.await("the pool still serves: the next delivery lands", LAND,
                () -> db.count("SELECT count(*) FROM amocrm_deals") == 1);
        // the applier may be between two statements of its last transaction right then: none may stay open
        PackagedApp.await("no connection stays in a transaction", LAND, () -> busyConnections().isEmpty());
        assertThat(serve.output()).contains("answered 503, not stored (not stored within 1500 ms of its arrival)");
    }

    /**
     * What a 2xx means, as amoCRM meets it: a mass edit above the form decoder's default of 1,024 parameters lands
     * whole; an unreadable item is set aside and the rest stored; a delivery too large is refused whole (413), one the
     * database refuses is answered 503 and lands when delivered again; every 2xx came after a durable commit although
     * the database defaults to synchronous_commit = off; a deletion right after an edit lands with amoCRM's clock ten
     * minutes behind the database's.
     */
    @Test
    void everyAnswerSaysWhetherTheDeliveryIsStoredAndEveryReadableItemOfItLands() {
        account = SimulatorResource.serve(SimulatedAccount.withLeads(208, 60, Duration.ofDays(3),
                new ShiftedClock(Duration.ofMinutes(-10))));
        int port = freePort();
        Map<String, String> settings = settings(port);
        settings.put("AMOCRM_SYNC_CRON", "off");
        db.update("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = off', current_database()); END $$");
        try {
            PackagedApp serve = start(settings);
            awaitServing(serve, port);
            PackagedApp.await("the sync at start is done", LAND, () -> serve.output().contains("Sync done"));
            db.update("CREATE TABLE commit_modes (mode text)");
            db.update("""
                    CREATE FUNCTION note_commit_mode() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN INSERT INTO commit_modes VALUES (current_setting('synchronous_commit')); RETURN NULL; END $$""");
            db.update("CREATE TRIGGER note AFTER INSERT ON amocrm_webhook_events EXECUTE FUNCTION note_commit_mode()");
            List<Long> ids = List.copyOf(account.liveLeads().keySet());

            LegacyWebhook massEdit = LegacyWebhook.of(account.accountId());
            for (int i = 0; i < 30; i++) {
                massEdit.item("leads", "update", i, ids.get(i), account.edit(ids.get(i)).updatedAt(), 25);
            }
            assertThat(massEdit.parameterCount()).isGreaterThan(1_024);
            assertThat(deliver(port, massEdit.body())).isEqualTo(200);

            LegacyWebhook mixed = LegacyWebhook.of(account.accountId());
            for (int i = 0; i < 5; i++) {
                mixed.item("leads", "update", i, ids.get(30 + i), account.edit(ids.get(30 + i)).updatedAt(), 2);
            }
            mixed.idOnly("leads", "update", 5, "not-a-number").param("leads[update][0][name]", "a NUL \0 in a name");
            assertThat(deliver(port, mixed.body())).isEqualTo(200);

            assertThat(deliver(port, LegacyWebhook.of(account.accountId()).item("leads", "update", 0, ids.get(40),
                    account.now(), 1).param("leads[update][0][name]", "x".repeat(4 * 1024 * 1024)).body()))
                    .as("over AMOCRM_WEBHOOK_MAX_BODY_SIZE").isEqualTo(413);

            String refused = LegacyWebhook.of(account.accountId())
                    .item("leads", "update", 0, ids.get(41), account.edit(ids.get(41)).updatedAt(), 1).body();
            db.update("""
                    CREATE FUNCTION refuse_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION 'the disk is full'; END $$""");
            db.update("CREATE TRIGGER refuse BEFORE INSERT ON amocrm_webhook_events EXECUTE FUNCTION refuse_webhooks()");
            assertThat(deliver(port, refused)).as("not stored: amoCRM delivers it again").isEqualTo(503);
            db.update("DROP TRIGGER refuse ON amocrm_webhook_events");
            assertThat(deliver(port, refused)).as("delivered again").isEqualTo(200);

            deleteRightAfterAnEdit(port, ids.get(42));

            PackagedApp.await("every stored event is applied", LAND,
                    () -> db.count("SELECT count(*) FROM amocrm_webhook_events WHERE processed_at IS NULL") == 0);
            Mirror.assertDatabaseEquals(db, account);
            assertThat(db.rows("SELECT error FROM amocrm_webhook_events WHERE event_type = 'malformed'"))
                    .extracting(row -> row.get("error"))
                    .containsExactly("webhook item leads[update][5] skipped: id 'not-a-number' is not a number");
            assertThat(db.rows("SELECT DISTINCT mode FROM commit_modes")).extracting(row -> row.get("mode"))
                    .as("every store committed durably").containsExactly("on");
            // every figure carries the account's label: the simulator's host and port here
            String label = "account=\"" + simulator.url().getHost() + ":" + simulator.url().getPort() + "\"";
            assertThat(publicStatus(port, "/q/metrics")).as("the public port answers webhooks only").isEqualTo(404);
            assertThat(publicStatus(port, "/q/health")).isEqualTo(404);
            assertThat(get(port, "/q/metrics"))
                    .contains("amocrm_sync_webhook_deliveries_total{" + label + ",outcome=\"not_stored\"} 1.0")
                    .contains("amocrm_sync_webhook_deliveries_total{" + label + ",outcome=\"too_large\"} 1.0")
                    .contains("amocrm_sync_webhook_items_skipped_total{" + label + ",list=\"leads\"} 1.0");
            assertThat(serve.output()).contains("Webhook item leads[update][5] of account simulated"
                    + account.accountId() + " (id " + account.accountId() + ") skipped");
        } finally {
            db.update("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET synchronous_commit', current_database()); END $$");
        }
    }

    /**
     * The reported case: a serve for account B started without AMOCRM_DB_SCHEMA, so in account A's schema. Its runs
     * are refused, and so are B's deliveries, to either serve (403): B's leads, whose ids collide with A's, never reach
     * A's table, and B's events already stored are applied by neither. B's serve stays ready (it can take webhooks)
     * while its health group says its mirror is stale. A's own deletion right after an edit lands with amoCRM's clock
     * ten minutes ahead of the database's.
     */
    @Test
    void aServeOfAnotherAccountInThisSchemaNeitherStoresNorAppliesItsWebhooksAndStaysReady() {
        account = SimulatorResource.serve(SimulatedAccount.withLeads(209, 50, Duration.ofDays(3),
                new ShiftedClock(Duration.ofMinutes(10))));
        Vertx vertx = Vertx.vertx();
        SimulatorServer other = SimulatorServer.start(vertx,
                SimulatedAccount.withLeads(210, 50, Duration.ofDays(3)).accountId(1002), "127.0.0.1", 0);
        try {
            int[] ports = { freePort(), freePort() };
            Map<String, String> ours = settings(ports[0]);
            ours.put("AMOCRM_SYNC_CRON", "off");
            PackagedApp serve = start(ours);
            awaitServing(serve, ports[0]);
            PackagedApp.await("the sync at start is done", LAND, () -> serve.output().contains("Sync done"));
            Map<String, String> theirs = settings(ports[1]);
            theirs.put("AMOCRM_BASE_URL", other.url().toString());
            theirs.put("AMOCRM_SYNC_CRON", "0/2 * * * * ?");
            theirs.put("AMOCRM_SYNC_STALE_AFTER", "2s");
            PackagedApp misplaced = start(theirs);
            awaitServing(misplaced, ports[1]);
            PackagedApp.await("the other account's run is refused", LAND,
                    () -> misplaced.output().contains("holds the mirror of amoCRM account"));

            SimulatedAccount b = other.account();
            long colliding = b.liveLeads().keySet().stream().filter(account.liveLeads()::containsKey).findFirst()
                    .orElseThrow();
            b.rename(colliding, "B's lead, not A's");
            String delivery = LegacyWebhook.of(b.accountId())
                    .item("leads", "update", 0, colliding, b.lead(colliding).updatedAt(), 1).body();
            assertThat(deliver(ports[1], delivery)).as("B's delivery to B's serve in A's schema").isEqualTo(403);
            assertThat(deliver(ports[0], delivery)).as("B's delivery to A's serve").isEqualTo(403);
            // as a version before this check stored it: neither applier may take it
            db.update("""
                    INSERT INTO amocrm_webhook_events (event_type, entity_type, entity_id, dedupe_hash, payload, account_id)
                    VALUES ('update', 'leads', ?, 'theirs', '{}', ?)""", colliding, b.accountId());

            deleteRightAfterAnEdit(ports[0], colliding);

            PackagedApp.await("B's applier finds the schema holds another account", LAND,
                    () -> misplaced.output().contains("Webhook events wait"));
            assertThat(db.rows("SELECT claimed_by, processed_at FROM amocrm_webhook_events WHERE dedupe_hash = 'theirs'"))
                    .singleElement().satisfies(row -> assertThat(row.values()).containsOnlyNulls());
            Mirror.assertDatabaseEquals(db, account);
            assertThat(misplaced.output()).contains("Webhook refused: a delivery of account simulated1002 (id 1002)");

            PackagedApp.await("B's mirror shows stale", LAND, () -> status(ports[1], "/q/health/group/sync") == 503);
            assertThat(status(ports[1], "/q/health/ready")).as("B can take webhooks").isEqualTo(200);
            assertThat(get(ports[1], "/q/metrics")).containsPattern("amocrm_sync_stale\\{account=\"[^\"]+\"} 1.0");
            assertThat(status(ports[0], "/q/health/group/sync")).as("A's schedule is off").isEqualTo(200);
        } finally {
            other.close();
            vertx.close();
        }
    }

    /** An edit mirrored by its webhook, then the lead's deletion a moment later, flagged by its webhook. */
    private void deleteRightAfterAnEdit(int port, long id) {
        long edited = account.edit(id).updatedAt();
        assertThat(deliver(port, LegacyWebhook.of(account.accountId()).item("leads", "update", 0, id, edited, 0).body()))
                .isEqualTo(200);
        PackagedApp.await("the edit is mirrored", LAND, () -> edited == db.count("""
                SELECT coalesce(max(CAST(extract(epoch FROM updated_at) AS bigint)), 0) FROM amocrm_deals
                WHERE amocrm_deal_id = ?""", Long.toString(id)));
        account.delete(id);
        assertThat(deliver(port, LegacyWebhook.of(account.accountId()).idOnly("leads", "delete", 0, Long.toString(id))
                .body())).isEqualTo(200);
        PackagedApp.await("the deletion is flagged", LAND, () -> Boolean.TRUE.equals(
                db.value("SELECT is_deleted FROM amocrm_deals WHERE amocrm_deal_id = ?", Long.toString(id))));
        assertThat(db.count("""
                SELECT CAST(extract(epoch FROM deleted_at) AS bigint) - ? FROM amocrm_deals WHERE amocrm_deal_id = ?""",
                edited, Long.toString(id))).as("stamped by amoCRM's clock, seconds after the edit").isBetween(0L, 60L);
    }

    /**
     * serve's connections waiting on a lock or holding a transaction open, as an operator would look for them. The
     * applier's claim (every second) waits for a locked table too, one connection, until its own statement timeout.
     */
    private List<Map<String, Object>> busyConnections() {
        return db.rows("""
                SELECT pid, state, wait_event_type, query FROM pg_stat_activity
                WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
                  AND application_name <> 'PostgreSQL JDBC Driver'
                  AND (state LIKE 'idle in transaction%' OR wait_event_type = 'Lock')""");
    }

    @Test
    void sigtermDuringAScheduledRunCommitsThePageInFlightAndExitsCleanly() {
        account = SimulatorResource.serve(SimulatedAccount.withLeads(203, 6_000, Duration.ofDays(5)));
        account.faults().latency(Duration.ofMillis(120));
        Map<String, String> settings = settings(freePort());
        settings.put("AMOCRM_SYNC_CRON", "0/2 * * * * ?");
        settings.put("AMOCRM_SYNC_RUN_AT_START", "false");
        // the deals and their parties show the stop; the work's lists would only lengthen the run after it
        settings.put("AMOCRM_SYNC_ENTITIES", "leads,contacts,companies");
        PackagedApp serve = start(settings);
        PackagedApp.await("a scheduled run has committed pages", START, () -> deals() > 500);

        serve.terminate();

        assertThat(serve.exitCode(START)).as(serve.output()).isEqualTo(Exit.INTERRUPTED.code);
        assertThat(serve.output()).contains("Stop requested: finishing the page in flight");
        assertThat(db.value("SELECT status FROM sync_runs")).isEqualTo("interrupted");
        assertThat(db.count("SELECT sum(inserted) FROM sync_run_entities WHERE entity = 'leads'"))
                .as("every committed page of the leads is counted").isEqualTo(deals());
        assertThat(db.count("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'")).isZero();
        account.faults().latency(Duration.ZERO);
        Map<String, String> nextSettings = settings(freePort());
        nextSettings.put("AMOCRM_SYNC_ENTITIES", "leads,contacts,companies");
        PackagedApp next = sync(nextSettings);
        assertThat(next.exitCode(START)).as(next.output()).isZero();
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void twoReplicasApplyEachStoredEventOnce() {
        account = SimulatorResource.serve(SimulatedAccount.withLeads(204, 200, Duration.ofDays(3)));
        int[] ports = { freePort(), freePort() };
        List<PackagedApp> replicas = new ArrayList<>();
        for (int port : ports) {
            Map<String, String> settings = settings(port);
            // one sync at start each (they take turns on the run lock), then webhooks only
            settings.put("AMOCRM_SYNC_CRON", "off");
            settings.put("AMOCRM_WEBHOOK_PROCESS_EVERY", "200ms");
            replicas.add(start(settings));
        }
        for (int i = 0; i < ports.length; i++) {
            PackagedApp replica = replicas.get(i);
            awaitServing(replica, ports[i]);
            PackagedApp.await("the sync at start is done", LAND,
                    () -> replica.output().contains("Sync done") || replica.output().contains("Another sync is running"));
        }
        // applications that take a while overlap: without claims both replicas would apply the same events
        account.faults().latency(Duration.ofMillis(60));
        List<Long> ids = List.copyOf(account.liveLeads().keySet());

        // each delivery to both replicas, as amoCRM repeating a delivery through a load balancer would
        for (int round = 0; round < 30; round++) {
            long lead = ids.get(round);
            account.edit(lead);
            String body = "leads[update][0][id]=" + lead + "&leads[update][0][last_modified]="
                    + account.lead(lead).updatedAt() + "&leads[status][0][id]=" + ids.get(50 + round)
                    + "&leads[status][0][last_modified]=" + (1_000 + round) + "&account[id]=" + account.accountId();
            assertThat(deliver(ports[round % 2], body)).isEqualTo(200);
            assertThat(deliver(ports[(round + 1) % 2], body)).isEqualTo(200);
        }

        PackagedApp.await("every stored event is applied", LAND,
                () -> db.count("SELECT count(*) FROM amocrm_webhook_events WHERE processed_at IS NULL") == 0);
        long stored = db.count("SELECT count(*) FROM amocrm_webhook_events");
        assertThat(stored).as("repeats stored once").isEqualTo(60);
        assertThat(applied(replicas.get(0)) + applied(replicas.get(1))).as("events applied, both replicas together")
                .isEqualTo(stored);
        Set<Long> untouched = new HashSet<>(ids);
        ids.subList(0, 30).forEach(untouched::remove);
        ids.subList(50, 80).forEach(untouched::remove);
        Mirror.assertDatabaseEquals(db, account, untouched);
    }

    /** How many events this process says it applied. */
    private static long applied(PackagedApp app) {
        Matcher matcher = APPLIED.matcher(app.output());
        long sum = 0;
        while (matcher.find()) {
            sum += Long.parseLong(matcher.group(1));
        }
        return sum;
    }

    private PackagedApp start(Map<String, String> settings) {
        PackagedApp app = PackagedApp.start(settings, "serve");
        started.add(app);
        return app;
    }

    /** The one-shot sync, as a CronJob runs it. */
    private PackagedApp sync(Map<String, String> settings) {
        PackagedApp app = PackagedApp.start(settings);
        started.add(app);
        return app;
    }

    private Map<String, String> settings(int port) {
        Map<String, String> settings = new HashMap<>();
        settings.put("DATABASE_URL", PostgresResource.databaseUrl());
        settings.put("AMOCRM_BASE_URL", simulator.url().toString());
        settings.put("AMOCRM_ACCESS_TOKEN", SimulatorResource.TOKEN);
        settings.put("AMOCRM_WEBHOOK_SECRET", SECRET);
        settings.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        int management = freePort();
        managementPorts.put(port, management);
        settings.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(management));
        return settings;
    }

    private int deliver(int port, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/amocrm/" + SECRET))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new AssertionError("serve on port " + port + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** What the public port itself answers to {@code path}, as the internet reaches it. */
    private int publicStatus(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new AssertionError("serve on port " + port + " did not answer " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private int status(int port, String path) {
        return send(port, path, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String get(int port, String path) {
        return send(port, path, HttpResponse.BodyHandlers.ofString()).body();
    }

    private <T> HttpResponse<T> send(int port, String path, HttpResponse.BodyHandler<T> handler) {
        try {
            int answering = path.startsWith("/q/") ? managementPorts.get(port) : port;
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + answering + path))
                    .timeout(Duration.ofSeconds(10)).build(), handler);
        } catch (IOException e) {
            throw new AssertionError("serve on port " + port + " did not answer " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Until {@code serve} has migrated the database and takes webhooks (HTTP answers before that). */
    private void awaitServing(PackagedApp serve, int port) {
        PackagedApp.await("serve takes webhooks on " + port, START, () -> {
            if (!serve.output().contains("Serving: ")) {
                return false;
            }
            try {
                HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPorts.get(port) + "/q/health/live"))
                        .timeout(Duration.ofSeconds(5)).build();
                return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    private boolean mirrored() {
        try {
            Mirror.assertDatabaseEquals(db, account);
            return true;
        } catch (AssertionError | IllegalStateException notYet) {
            return false;
        }
    }

    private long deals() {
        return db.value("SELECT to_regclass('amocrm_deals')") != null ? db.count("SELECT count(*) FROM amocrm_deals") : 0;
    }

    /**
     * The browser-session service as the sync sees it: {@code /health}, not ok until {@link #loggedIn()}, and
     * {@code /api/v4} passed to the simulated account with its token.
     */
    private static final class StandInSessionService {
        private final HttpServer server;
        private volatile boolean loggedIn;

        private StandInSessionService(HttpServer server) {
            this.server = server;
        }

        static StandInSessionService start(URI account) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            StandInSessionService service = new StandInSessionService(server);
            HttpClient client = HttpClient.newHttpClient();
            server.createContext("/health", exchange -> service.answer(exchange, 200, "application/json",
                    service.loggedIn ? "{\"ok\":true,\"loggedIn\":true}"
                            : "{\"ok\":false,\"loggedIn\":false,\"error\":\"still logging in\"}"));
            server.createContext("/api/v4", exchange -> {
                URI target = account.resolve(exchange.getRequestURI().toString());
                try {
                    HttpResponse<String> answer = client.send(HttpRequest.newBuilder(target)
                            .header("Authorization", "Bearer " + SimulatorResource.TOKEN).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    answer.headers().firstValue("Date").ifPresent(date -> exchange.getResponseHeaders().set("Date", date));
                    service.answer(exchange, answer.statusCode(),
                            answer.headers().firstValue("Content-Type").orElse("application/json"), answer.body());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    service.answer(exchange, 502, "text/plain", "interrupted");
                }
            });
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
            return service;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void loggedIn() {
            loggedIn = true;
        }

        void stop() {
            server.stop(0);
        }

        private void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
