package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import dev.amocrmsync.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The process is killed, stopped, or loses its database mid-run: the next run always ends exact. */
class ProcessFaultsIT {

    private static final Duration EXIT = Duration.ofSeconds(90);

    private final SimulatorServer simulator = SimulatorResource.server();
    private Db db;
    private SimulatedAccount account;

    @BeforeEach
    void slowAccount() {
        db = TestDatabase.emptied();
        account = SimulatorResource.serve(SimulatedAccount.withLeads(91, 6_000, Duration.ofDays(5)));
        account.faults().latency(Duration.ofMillis(120));
    }

    @Test
    void killedAtAnyPointTheNextRunEndsExact() {
        PackagedApp first = PackagedApp.start(settings(PostgresResource.databaseUrl()));
        PackagedApp.await("some pages are committed", EXIT, () -> deals() > 500);

        first.kill();

        assertThat(deals()).isLessThan(6_000);
        account.faults().latency(Duration.ZERO);
        PackagedApp second = PackagedApp.start(settings(PostgresResource.databaseUrl()));
        assertThat(second.exitCode(EXIT)).as(second.output()).isZero();
        Mirror.assertDatabaseEquals(db, account);
        assertThat(db.rows("SELECT status FROM sync_runs ORDER BY id")).extracting(row -> row.get("status"))
                .containsExactly("abandoned", "succeeded");
    }

    @Test
    void sigtermCommitsNothingHalfWrittenAndExitsInterrupted() {
        PackagedApp first = PackagedApp.start(settings(PostgresResource.databaseUrl()));
        PackagedApp.await("some pages are committed", EXIT, () -> deals() > 500);

        first.terminate();

        assertThat(first.exitCode(EXIT)).isEqualTo(143);
        assertThat(first.output()).contains("interrupted");
        assertThat(db.value("SELECT status FROM sync_runs")).isEqualTo("interrupted");
        long written = deals();
        assertThat(db.count("SELECT sum(inserted) FROM sync_run_entities WHERE entity = 'leads'"))
                .as("every committed page of the leads is counted").isEqualTo(written);
        account.faults().latency(Duration.ZERO);
        PackagedApp second = PackagedApp.start(settings(PostgresResource.databaseUrl()));
        assertThat(second.exitCode(EXIT)).as(second.output()).isZero();
        assertThat(second.output()).contains("resuming the scan an earlier run did not finish");
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void anUnreachableDatabaseIsNamedAndAmoCrmIsNotCalled() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        PackagedApp app = PackagedApp.start(settings("postgresql://sync:unused@127.0.0.1:" + closedPort + "/crm"));

        assertThat(app.exitCode(EXIT)).isEqualTo(7);
        assertThat(app.output()).contains("PostgreSQL at 127.0.0.1:" + closedPort + "/crm", "Connection refused");
        assertThat(simulator.stats().requests()).isZero();
    }

    @Test
    void aDatabaseLostMidRunStopsTheRunAndTheNextRunEndsExact() throws IOException {
        Path data = Files.createTempDirectory(Path.of("target"), "lost-db-");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "postgresql://postgres@127.0.0.1:" + port + "/postgres";
        EmbeddedPostgres database = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setPort(port).start();
        Db own = new Db(database.getPostgresDatabase());
        PackagedApp first = PackagedApp.start(settings(url));
        PackagedApp.await("some pages are committed", EXIT, () -> own.rowsIn("amocrm_deals") > 500);

        database.close();

        assertThat(first.exitCode(EXIT)).as(first.output()).isEqualTo(7);
        assertThat(first.output()).contains("PostgreSQL at 127.0.0.1:" + port + "/postgres failed");
        try (EmbeddedPostgres restarted = EmbeddedPostgres.builder().setDataDirectory(data)
                .setCleanDataDirectory(false).setPort(port).start()) {
            account.faults().latency(Duration.ZERO);
            PackagedApp second = PackagedApp.start(settings(url));
            assertThat(second.exitCode(EXIT)).as(second.output()).isZero();
            Mirror.assertDatabaseEquals(new Db(restarted.getPostgresDatabase()), account);
        }
    }

    @Test
    void secretsNeverAppearInTheOutput() {
        String token = UUID.randomUUID().toString();
        String password = UUID.randomUUID().toString();
        simulator.acceptOnly("only-this");
        Map<String, String> settings = settings(
                PostgresResource.databaseUrl().replace("postgres@", "postgres:" + password + "@"));
        settings.put("AMOCRM_ACCESS_TOKEN", token);

        PackagedApp app = PackagedApp.start(settings);

        assertThat(app.exitCode(EXIT)).isEqualTo(4);
        assertThat(app.output()).contains("AMOCRM_ACCESS_TOKEN was refused").doesNotContain(token).doesNotContain(password);
        assertThat(db.value("SELECT error FROM sync_runs")).asString().doesNotContain(token).doesNotContain(password);
    }

    private static Map<String, String> settings(String databaseUrl) {
        Map<String, String> settings = SimulatorResource.processSettings(databaseUrl);
        // the faults are the point here, and the deals and their parties show them: WorkIT kills a sync in the work
        settings.put("AMOCRM_SYNC_ENTITIES", "leads,contacts,companies");
        return settings;
    }

    private long deals() {
        return db.rowsIn("amocrm_deals");
    }
}
