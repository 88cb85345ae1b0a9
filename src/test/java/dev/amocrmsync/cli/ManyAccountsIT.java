package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.Seconds;
import dev.amocrmsync.testing.TestDatabase;
import io.vertx.core.Vertx;

/**
 * Two amoCRM accounts in one database, a schema each ({@code AMOCRM_DB_SCHEMA}), synced by two processes at once:
 * each schema equals its own account, neither run waits for the other, and a schema never takes another account.
 */
class ManyAccountsIT {

    private static final Duration EXIT = Duration.ofSeconds(120);

    private final Vertx vertx = Vertx.vertx();
    private SimulatorServer first;
    private SimulatorServer second;

    @BeforeEach
    void twoAccounts() {
        Db db = TestDatabase.emptied();
        db.update("DROP SCHEMA IF EXISTS agency_north CASCADE");
        db.update("DROP SCHEMA IF EXISTS agency_south CASCADE");
        first = SimulatorServer.start(vertx, SimulatedAccount.withLeads(201, 1_500, Duration.ofDays(3)).accountId(1001),
                "127.0.0.1", 0);
        second = SimulatorServer.start(vertx, SimulatedAccount.withLeads(202, 1_200, Duration.ofDays(3)).accountId(1002),
                "127.0.0.1", 0);
        first.account().faults().latency(Duration.ofMillis(40));
        second.account().faults().latency(Duration.ofMillis(40));
    }

    @AfterEach
    void close() {
        first.close();
        second.close();
        vertx.close();
    }

    @Test
    void twoAccountsSyncedAtOnceIntoTwoSchemasEachEndExact() {
        for (int round = 0; round < 2; round++) {
            PackagedApp north = PackagedApp.start(settings(first, "agency_north"));
            PackagedApp south = PackagedApp.start(settings(second, "agency_south"));

            assertThat(north.exitCode(EXIT)).as(north.output()).isZero();
            assertThat(south.exitCode(EXIT)).as(south.output()).isZero();
            assertThat(north.output() + south.output()).doesNotContain("Another sync is running");
            Mirror.assertDatabaseEquals(schema("agency_north"), first.account());
            Mirror.assertDatabaseEquals(schema("agency_south"), second.account());

            first.account().editRandom(40);
            second.account().delete(second.account().liveLeads().keySet().iterator().next());
            Seconds.awaitNext();
        }
        assertThat(TestDatabase.db().value("SELECT to_regclass('public.amocrm_deals')"))
                .as("the default schema is left alone").isNull();
    }

    @Test
    void aSchemaHoldingAnotherAccountIsRefusedNotOverwritten() {
        PackagedApp north = PackagedApp.start(settings(first, "agency_north"));
        assertThat(north.exitCode(EXIT)).as(north.output()).isZero();

        PackagedApp wrong = PackagedApp.start(settings(second, "agency_north"));

        assertThat(wrong.exitCode(EXIT)).as(wrong.output()).isEqualTo(2);
        assertThat(wrong.output()).contains("Schema agency_north holds the mirror of amoCRM account")
                .contains("(id 1001)").contains("AMOCRM_DB_SCHEMA");
        Mirror.assertDatabaseEquals(schema("agency_north"), first.account());
    }

    @Test
    void aSchemaNameThatIsNotAPlainIdentifierIsRefused() {
        PackagedApp app = PackagedApp.start(settings(first, "North-Agency; DROP TABLE x"));

        assertThat(app.exitCode(EXIT)).as(app.output()).isEqualTo(2);
        assertThat(app.output()).contains("AMOCRM_DB_SCHEMA must be a plain PostgreSQL identifier");
        assertThat(first.stats().requests()).isZero();
    }

    @Test
    void aSchemaNamedLikeTheDatabaseRoleNeverCapturesTheDefaultAccount() {
        Db db = TestDatabase.db();
        // the role is postgres: PostgreSQL's default search_path ("$user", public) would find this schema first
        db.update("CREATE SCHEMA postgres");
        try {
            Map<String, String> settings = new java.util.HashMap<>(settings(first, "agency_north"));
            settings.remove("AMOCRM_DB_SCHEMA");
            PackagedApp app = PackagedApp.start(settings);

            assertThat(app.exitCode(EXIT)).as(app.output()).isZero();
            assertThat(db.value("SELECT to_regclass('public.amocrm_deals') IS NOT NULL")).isEqualTo(true);
            assertThat(db.value("SELECT count(*) FROM pg_tables WHERE schemaname = 'postgres'")).isEqualTo(0L);
            Mirror.assertDatabaseEquals(schema("public"), first.account());
        } finally {
            db.update("DROP SCHEMA postgres CASCADE");
        }
    }

    private static Map<String, String> settings(SimulatorServer account, String schema) {
        return Map.of("DATABASE_URL", PostgresResource.databaseUrl(), "AMOCRM_BASE_URL", account.url().toString(),
                "AMOCRM_ACCESS_TOKEN", "token-of-" + account.port(), "AMOCRM_DB_SCHEMA", schema);
    }

    private static Db schema(String name) {
        return new Db(PostgresResource.dataSource(name));
    }
}
