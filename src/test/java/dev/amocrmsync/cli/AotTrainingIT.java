package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import dev.amocrmsync.testing.TestDatabase;

/**
 * The JDK 25 AOT cache's training run ({@code -Paot} only): one sync as production runs it, with several windows, a
 * crowded second and deletions, recorded into {@code target/quarkus-app/app.aotconf}. The JVM keeps only the last
 * recording, so exactly one launch records.
 */
@EnabledIfSystemProperty(named = "aot.train", matches = "true")
class AotTrainingIT {

    @Test
    void recordARepresentativeSync() {
        var db = TestDatabase.emptied();
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(151, 4_000, Duration.ofDays(5)));
        account.stampSecond(account.now() - 86_400, 300);
        account.delete(account.liveLeads().keySet().iterator().next());

        PackagedApp training = PackagedApp.start(Map.of("DATABASE_URL", PostgresResource.databaseUrl(),
                "AMOCRM_BASE_URL", SimulatorResource.server().url().toString(),
                "AMOCRM_ACCESS_TOKEN", SimulatorResource.TOKEN),
                Stream.concat(PackagedApp.PRODUCTION_JVM.stream(),
                        Stream.of("-XX:AOTMode=record", "-XX:AOTConfiguration=app.aotconf")).toList(),
                "--verbose");

        assertThat(training.exitCode(Duration.ofSeconds(120))).as(training.output()).isZero();
        Mirror.assertDatabaseEquals(db, account);
    }
}
