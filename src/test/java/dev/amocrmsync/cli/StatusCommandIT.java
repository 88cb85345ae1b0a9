package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import dev.amocrmsync.testing.TestDatabase;

/**
 * {@code status} on the packaged application after a packaged sync, as a cron check runs it: the text and the JSON
 * (the records serialized in the jar, or the native binary, as they are built) and exit 0. Three launches in all.
 */
class StatusCommandIT {

    private static final Duration EXIT = Duration.ofSeconds(90);

    @Test
    void afterASyncTheStatusIsHealthyAsTextAndAsJson() throws Exception {
        TestDatabase.emptied();
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(67, 400, Duration.ofDays(2)));
        Map<String, String> settings = SimulatorResource.processSettings(PostgresResource.databaseUrl());
        PackagedApp sync = PackagedApp.start(settings);
        assertThat(sync.exitCode(EXIT)).as(sync.output()).isZero();

        PackagedApp text = PackagedApp.start(settings, "status");

        assertThat(text.exitCode(EXIT)).as(text.output()).isZero();
        assertThat(text.output()).contains("HEALTHY: the last successful run, #1, ended", "Run in progress: none")
                .containsPattern(
                        "\\nleads +\\d+(s|m \\d\\ds) ago +\\d+(s|m \\d\\ds) +" + account.liveLeads().size() + " +0 +0\\n");

        PackagedApp json = PackagedApp.start(settings, "status", "--json");

        assertThat(json.exitCode(EXIT)).as(json.output()).isZero();
        JsonNode status = StatusCommandTest.json(json.output());
        assertThat(status.at("/health/verdict").asText()).isEqualTo("HEALTHY");
        assertThat(status.at("/lastRun/status").asText()).isEqualTo("succeeded");
        JsonNode leads = StatusCommandTest.entity(status, "leads");
        assertThat(leads.get("live").asLong()).isEqualTo(account.liveLeads().size());
        assertThat(leads.get("lastSuccess").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(leads.get("lagSeconds").asLong()).isNotNegative();
    }
}
