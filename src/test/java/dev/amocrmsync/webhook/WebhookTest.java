package dev.amocrmsync.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.SimLead;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.sync.Serving;
import dev.amocrmsync.sync.SyncRequest;
import dev.amocrmsync.sync.SyncService;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
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

    @Inject
    WebhookProcessor processor;

    @Inject
    SyncService sync;

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
                + "&account[subdomain]=geodrive&account[id]=31415926", 200);
        assertThat(apply()).isEqualTo(3);

        Mirror.assertDatabaseEquals(db, account);
        assertThat(db.value("SELECT is_deleted FROM amocrm_deals WHERE amocrm_deal_id = ?", ids.get(1).toString()))
                .isEqualTo(true);

        account.restore(ids.get(1));
        post("leads%5Brestore%5D%5B0%5D%5Bid%5D=" + ids.get(1) + "&account%5Bid%5D=31415926", 200);
        assertThat(apply()).isEqualTo(1);

        Mirror.assertDatabaseEquals(db, account);
        assertThat(db.count("SELECT count(*) FROM amocrm_webhook_events WHERE processed_at IS NULL")).isZero();
    }

    @Test
    void aRepeatedDeliveryIsAppliedOnce() throws Throwable {
        long id = account.liveLeads().keySet().iterator().next();
        String body = "leads[update][0][id]=" + id + "&leads[update][0][last_modified]=1731000000&account[id]=1";

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
    void aMalformedDeliveryIsRefusedAndKeptWithTheReason() {
        post("{\"this\": \"is not a webhook\"}", 400);

        assertThat(db.rows("SELECT event_type, error FROM amocrm_webhook_events ORDER BY id"))
                .extracting(row -> row.get("event_type") + ": " + row.get("error"))
                .containsExactly("malformed: not an amoCRM webhook: no account and no lead event with a numeric id");
    }

    private static void post(String body, int status) {
        given().contentType("application/x-www-form-urlencoded").body(body).post(HOOK).then().statusCode(status);
    }

    private int apply() throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> processor.applyPending());
    }
}
