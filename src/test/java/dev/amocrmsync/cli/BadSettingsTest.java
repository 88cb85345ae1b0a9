package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * No database, a URL where the subdomain goes, a Pushgateway that is no URL: one message lists them all (without the
 * password the last one holds), nothing is touched, exit code 2.
 */
@QuarkusMainTest
@TestProfile(BadSettingsTest.Misconfigured.class)
class BadSettingsTest {

    static final String PUSH_PASSWORD = "fake-push-password-for-tests";

    public static class Misconfigured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("amocrm.subdomain", "https://geodrive.amocrm.ru", "amocrm.access-token", "fake",
                    // a space in the host: not a URL, and its password must not reach the message
                    "amocrm.metrics.pushgateway", "https://bot:" + PUSH_PASSWORD + "@push gateway:9091");
        }
    }

    @Test
    @Launch(value = {}, exitCode = 2)
    void everyProblemIsListedInOneMessage(LaunchResult result) {
        assertThat(result.getOutput()).contains("Invalid settings", "Set DATABASE_URL=postgresql://",
                "AMOCRM_SUBDOMAIN must be a single DNS label", "AMOCRM_METRICS_PUSHGATEWAY is not an http(s) URL")
                .doesNotContain(PUSH_PASSWORD);
    }

    @Test
    @Launch(value = { "simulate", "--help" }, exitCode = 0)
    void commandsThatNeedNoDatabaseStillRun(LaunchResult result) {
        assertThat(result.getOutput()).contains("--rate-limit", "--edits-per-second", "--tasks", "--notes",
                "--no-loss-reasons");
    }
}
