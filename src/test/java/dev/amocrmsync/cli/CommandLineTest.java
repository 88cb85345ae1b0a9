package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.ProgressEveryPage;
import dev.amocrmsync.testing.SimulatorResource;
import dev.amocrmsync.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** The command as a CronJob or an operator runs it: output, exit codes, the database afterwards. */
@QuarkusMainTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
@WithTestResource(ProgressEveryPage.class)
class CommandLineTest {

    static {
        // every launch loads the application anew: published, the launched command calls this test's simulator
        SimulatorResource.publish();
    }

    @org.junit.jupiter.api.AfterAll
    static void withdraw() {
        SimulatorResource.unpublish();
    }

    @Test
    void withoutArgumentsItSyncsOnceAndExits(QuarkusMainLauncher launcher) {
        Db db = TestDatabase.emptied();
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(51, 600, Duration.ofDays(3)));

        LaunchResult first = launcher.launch("--verbose");

        assertThat(first.exitCode()).as(first.getOutput()).isZero();
        assertThat(first.getOutput()).contains("amoCRM sync — API token", "Last sync: never", "Page 1: 250 leads",
                "Done: processed ", "leads: processed 600, new 600, updated 0");
        assertThat(first.getOutput()).as("the share of the range read and the time left, as plain lines when not on a"
                + " terminal")
                .containsPattern("Progress: \\d{1,2}% of the range read, (about \\d+s left|time left known after a few"
                        + " pages) \\(leads \\d+%, contacts \\d+%")
                .containsPattern("Progress: 100% of the range read, reading done \\(leads 100%")
                .doesNotContain("\r");
        assertThat(first.getOutput()).as("a fresh database is no error").doesNotContain("ERROR")
                .doesNotContainPattern("relation \\S+ does not exist");
        account.liveLeads().keySet().forEach(id -> assertThat(first.getOutput()).contains("✓ " + id));
        assertThat(first.getOutput()).containsPattern("✓ \\d+ \\(RentProg: \\d+\\)");
        Mirror.assertDatabaseEquals(db, account);
        assertThat(db.count("SELECT count(*) FROM amocrm_deals_fields WHERE rentprog_id IS NOT NULL")).isPositive();
        assertThat(db.rows("SELECT to_regclass('amocrm_contacts_fields') IS NOT NULL AS contacts,"
                + " to_regclass('amocrm_companies_fields') IS NOT NULL AS companies"))
                .as("every selected entity's fields view").containsExactly(java.util.Map.of("contacts", true,
                        "companies", true));

        LaunchResult second = launcher.launch();

        assertThat(second.exitCode()).isZero();
        assertThat(second.getOutput()).containsPattern("Last sync: \\d{4}-\\d\\d-\\d\\dT.*Z \\(unix \\d+\\)")
                .contains("new 0, updated 0");
    }

    @Test
    void aDryRunSinceAGivenTimeWritesNothing(QuarkusMainLauncher launcher) {
        Db db = TestDatabase.emptied();
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(53, 100, Duration.ofDays(60)));
        long since = account.now() - Duration.ofDays(45).toSeconds();

        LaunchResult result = launcher.launch("--since", Long.toString(since), "--dry-run");

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("dry run", "Dry run done, nothing written: processed ", "leads: processed "
                + account.liveLeads().values().stream().filter(lead -> lead.updatedAt() >= since).count());
        assertThat(db.count("SELECT count(*) FROM amocrm_deals")).isZero();
    }

    @Test
    void aMistypedOptionIsAUsageErrorThatShowsTheCommands(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("--since", "yesterday");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains("--since yesterday is neither ISO-8601", "serve", "simulate",
                "--full", "--dry-run");
    }
}
