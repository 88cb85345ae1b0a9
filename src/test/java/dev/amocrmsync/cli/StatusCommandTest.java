package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.sync.RunLock;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import dev.amocrmsync.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** {@code status} as a person, a cron check or Nagios runs it: what it prints, and its exit code for each state. */
@QuarkusMainTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class StatusCommandTest {

    static {
        SimulatorResource.publish();
    }

    @AfterAll
    static void withdraw() {
        SimulatorResource.unpublish();
    }

    @Test
    void aDatabaseNeverSyncedSaysSoWithItsOwnExitCode(QuarkusMainLauncher launcher) {
        TestDatabase.emptied();

        LaunchResult result = launcher.launch("status");

        assertThat(result.exitCode()).as(result.getOutput()).isEqualTo(Exit.NEVER_SYNCED.code);
        assertThat(result.getOutput()).contains("NEVER_SYNCED: no sync has succeeded on this database yet",
                "Last run: none yet", "Run in progress: none", "Webhook backlog: 0 events waiting");
    }

    @Test
    void healthyStaleFailingAndQuarantinedEachHaveTheirExitCode(QuarkusMainLauncher launcher) throws Exception {
        Db db = TestDatabase.emptied();
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(61, 300, Duration.ofDays(2)));
        assertThat(launcher.launch().exitCode()).isZero();

        LaunchResult healthy = launcher.launch("status");

        assertThat(healthy.exitCode()).as(healthy.getOutput()).isZero();
        assertThat(healthy.getOutput()).contains("HEALTHY: the last successful run, #1, ended", "Last run: #1 (incremental)"
                + " succeeded", "the latest run's bound from amoCRM's Date header")
                .containsPattern("\\nleads +\\d+(s|m \\d\\ds) ago +\\d+(s|m \\d\\ds) +300 +0 +0\\n");

        // as if the run had been an hour ago: its bound from amoCRM's clock, and the cursors it left, too
        db.update("UPDATE sync_runs SET started_at = started_at - interval '1 hour', finished_at = finished_at - interval"
                + " '1 hour', range_from = range_from - interval '1 hour', range_to = range_to - interval '1 hour'");
        db.update("UPDATE sync_state SET cursor_at = cursor_at - interval '1 hour',"
                + " events_cursor_at = events_cursor_at - interval '1 hour'");
        LaunchResult stale = launcher.launch("status");

        assertThat(stale.exitCode()).as(stale.getOutput()).isEqualTo(Exit.STALE.code);
        assertThat(stale.getOutput()).containsPattern("STALE: the last successful run, #1, ended 1h \\d\\dm ago, more than 3"
                + " periods of 5m 00s").containsPattern("\\nleads +1h \\d\\dm ago +1h \\d\\dm +300 ");

        db.update("INSERT INTO sync_runs (status, kind, finished_at, error) VALUES ('failed', 'incremental', now(), 'first'),"
                + " ('failed', 'incremental', now(), 'amoCRM is not answering properly after retries: HTTP 503')");
        LaunchResult failing = launcher.launch("status");

        assertThat(failing.exitCode()).as(failing.getOutput()).isEqualTo(Exit.FAILING.code);
        assertThat(failing.getOutput()).contains("FAILING: 2 runs in a row did not succeed; the latest, run #3, failed:"
                + " amoCRM is not answering properly after retries: HTTP 503", "STALE");

        db.update("DELETE FROM sync_runs WHERE status = 'failed'");
        db.update("UPDATE sync_runs SET finished_at = now()");
        db.update("INSERT INTO sync_quarantine (entity, amocrm_deal_id, reason) VALUES ('leads', '42', 'price is not a"
                + " number')");
        // and a full sync at work: it holds the run lock, and its contacts' scan has read 60 of its 100 seconds
        db.update("INSERT INTO sync_runs (status, kind, pages, leads_read) VALUES ('running', 'full', 4, 1000)");
        db.update("UPDATE sync_state SET plan_from = 0, plan_to = 99 WHERE entity = 'contacts'");
        db.update("INSERT INTO sync_windows (entity, window_no, window_from, window_to, cursor_second, done) VALUES"
                + " ('contacts', 1, 0, 49, 49, true), ('contacts', 2, 50, 99, 60, false)");
        LaunchResult quarantined;
        try (Connection lock = PostgresResource.dataSource().getConnection()) {
            lock.createStatement().execute("SELECT pg_advisory_lock(" + RunLock.KEY + ", hashtext(current_schema()))");
            quarantined = launcher.launch("status", "--json");
        }

        assertThat(quarantined.exitCode()).as(quarantined.getOutput()).isEqualTo(Exit.QUARANTINED.code);
        JsonNode status = json(quarantined.getOutput());
        assertThat(status.at("/health/verdict").asText()).isEqualTo("QUARANTINED");
        assertThat(status.at("/lastSuccess/id").asLong()).isEqualTo(1);
        JsonNode leads = entity(status, "leads");
        assertThat(leads.get("live").asLong()).isEqualTo(account.liveLeads().size());
        assertThat(leads.get("quarantined").asLong()).isEqualTo(1);
        assertThat(leads.get("lastQuarantineReason").asText()).isEqualTo("price is not a number");
        assertThat(leads.get("lagSeconds").asLong()).isNotNegative();
        assertThat(entity(status, "contacts").get("scanFraction").asDouble()).isEqualTo(0.6);
        assertThat(status.at("/running/kind").asText()).isEqualTo("full");
        assertThat(status.at("/running/itemsRead").asLong()).isEqualTo(1000);
        assertThat(status.at("/running/fraction").asDouble()).isEqualTo(0.6);
        assertThat(status.at("/running/holder").asText()).contains("database session pid");
        assertThat(status.at("/webhooks/pending").asLong()).isZero();
    }

    /** The JSON document in the output (one-shot commands log warnings only, on the same stream). */
    static JsonNode json(String output) throws Exception {
        java.util.regex.Matcher document = java.util.regex.Pattern.compile("(?ms)^\\{$.*^\\}$").matcher(output);
        assertThat(document.find()).as("a JSON document in %s", output).isTrue();
        return new ObjectMapper().readTree(document.group());
    }

    static JsonNode entity(JsonNode status, String name) {
        for (JsonNode entity : status.get("entities")) {
            if (entity.get("entity").asText().equals(name)) {
                return entity;
            }
        }
        throw new AssertionError("no entity " + name + " in " + status);
    }
}
