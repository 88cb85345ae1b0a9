package dev.amocrmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

    private SyncReport run(SyncRequest request) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> sync.run(request));
        } catch (Throwable e) {
            throw new AssertionError("the sync failed: " + e.getMessage(), e);
        }
    }
}
