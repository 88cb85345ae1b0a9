package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** A database that does not answer: {@code status} names it and DATABASE_URL, and exits 7 as every command does. */
@QuarkusMainTest
@TestProfile(StatusDatabaseDownTest.NothingListening.class)
class StatusDatabaseDownTest {

    public static class NothingListening implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // port 1 on this machine: refused at once
            return Map.of("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:1/crm",
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:1/crm",
                    "quarkus.datasource.username", "postgres", "quarkus.flyway.migrate-at-start", "false");
        }
    }

    @Test
    @Launch(value = { "status" }, exitCode = 7)
    void aDeadDatabaseIsNamedWithDatabaseUrl(LaunchResult result) {
        assertThat(result.getOutput()).contains("Failed (exit 7): PostgreSQL at 127.0.0.1:1/crm failed",
                "Check DATABASE_URL");
    }
}
