package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import dev.amocrmsync.testing.TestDatabase;

/**
 * The run lock is a PostgreSQL session lock: it lives exactly as long as its connection. A run notices when that
 * connection dies and stops before writing beside another run; a lock held for longer than a run can take is
 * reported as stuck, never waited on silently forever.
 */
class RunLockIT {

    private static final Duration EXIT = Duration.ofSeconds(90);

    private Db db;
    private SimulatedAccount account;

    @BeforeEach
    void account() {
        db = TestDatabase.emptied();
        account = SimulatorResource.serve(SimulatedAccount.withLeads(191, 3_000, Duration.ofDays(5)));
    }

    @Test
    void aRunWhoseLockConnectionDiesStopsBeforeItsNextCommitAndTheNextRunEndsExact() {
        account.faults().latency(Duration.ofMillis(150));
        PackagedApp run = PackagedApp.start(settings());
        PackagedApp.await("some pages are committed", EXIT, () -> deals() > 300);

        // what an idle timeout or a proxy does to the lock's connection
        db.value("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = 1634561891");

        assertThat(run.exitCode(EXIT)).as(run.output()).isEqualTo(7);
        assertThat(run.output()).contains("connection holding the run lock was lost");
        account.faults().latency(Duration.ZERO);
        recordTheDatabaseClockOfEachRunsStart();
        PackagedApp next = PackagedApp.start(settings());
        assertThat(next.exitCode(EXIT)).as(next.output()).isZero();
        Mirror.assertDatabaseEquals(db, account);
        assertThat(db.rows("SELECT started_at = stamped_at AS same FROM run_clocks")).as("one clock: the database's")
                .singleElement().satisfies(row -> assertThat(row.get("same")).isEqualTo(true));
    }

    /**
     * A run's age (how long it has held the lock) is the database's now() minus sync_runs.started_at, so started_at
     * must be the database's clock too, never the host's: the instant of the transaction that recorded the run.
     */
    private void recordTheDatabaseClockOfEachRunsStart() {
        db.update("CREATE TABLE run_clocks (started_at timestamptz, stamped_at timestamptz)");
        db.update("""
                CREATE FUNCTION record_run_clock() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO run_clocks VALUES (NEW.started_at, now()); RETURN NEW; END $$""");
        db.update("CREATE TRIGGER run_clock AFTER INSERT ON sync_runs FOR EACH ROW EXECUTE FUNCTION record_run_clock()");
    }

    @Test
    void aLockHeldLongerThanARunCanTakeIsReportedAsStuck() throws SQLException {
        try (Connection stuck = PostgresResource.dataSource().getConnection();
                Statement statement = stuck.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(1634561891, hashtext('public'))");

            PackagedApp shortly = PackagedApp.start(settings());
            assertThat(shortly.exitCode(EXIT)).as(shortly.output()).isZero();
            assertThat(shortly.output()).contains("Another sync is running");

            Map<String, String> impatient = settings();
            impatient.put("AMOCRM_SYNC_LOCK_STUCK_AFTER", "1s");
            PackagedApp stuckRun = PackagedApp.start(impatient);
            assertThat(stuckRun.exitCode(EXIT)).as(stuckRun.output()).isEqualTo(9);
            assertThat(stuckRun.output()).contains("longer than a sync can take").contains("pg_terminate_backend(");
        }
        assertThat(SimulatorResource.server().stats().requests()).as("amoCRM was never asked").isZero();
    }

    private static Map<String, String> settings() {
        return SimulatorResource.processSettings(PostgresResource.databaseUrl());
    }

    private long deals() {
        return db.rowsIn("amocrm_deals");
    }
}
