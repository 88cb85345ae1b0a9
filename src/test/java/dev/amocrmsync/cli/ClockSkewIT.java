package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.Seconds;
import dev.amocrmsync.testing.ShiftedClock;
import dev.amocrmsync.testing.SimulatorResource;
import dev.amocrmsync.testing.TestDatabase;

/**
 * amoCRM's clock is not this host's: CronJob pods land on nodes whose clocks are minutes apart. Whichever way the
 * host is off, the runs bound their reads by amoCRM's clock, so edits and deletions made between runs are all read.
 */
class ClockSkewIT {

    private static final Duration EXIT = Duration.ofSeconds(90);

    @ParameterizedTest(name = "amoCRM {0} minutes ahead of the host")
    @ValueSource(ints = { -10, 10 })
    void editsAndDeletionsBetweenRunsAreReadWhateverTheHostClockSays(int minutesAhead) {
        Db db = TestDatabase.emptied();
        ShiftedClock amoCrmClock = new ShiftedClock(Duration.ofMinutes(minutesAhead));
        SimulatedAccount account = SimulatorResource
                .serve(SimulatedAccount.withLeads(171, 400, Duration.ofDays(2), amoCrmClock));
        // leads stamped in amoCRM's last minute: a bound taken from a host that is behind would leave them out
        account.stampSecond(account.now() - 30, 20);
        // and a robot's bulk edit an hour ago: more leads in one second than a page, read by their lowest and highest ids
        account.stampSecond(account.now() - 3_600, 300);

        runExact(db, account);
        assertThat(SimulatorResource.server().stats().recentRequests()).as("the crowded second's highest ids were read")
                .anyMatch(request -> request.contains("order[id]=desc"));

        List<Long> edited = account.editRandom(50);
        account.liveLeads().keySet().stream().filter(id -> !edited.contains(id)).limit(5).toList()
                .forEach(account::delete);
        runExact(db, account);
        assertThat(db.count("SELECT count(*) FROM amocrm_deals WHERE is_deleted")).isEqualTo(5);

        account.editRandom(10);
        runExact(db, account);
        assertThat(db.value("SELECT CAST(extract(epoch FROM max(cursor_at)) AS bigint) FROM sync_state"))
                .as("no entity's cursor is ever ahead of amoCRM's clock").satisfies(
                        cursor -> assertThat(((Number) cursor).longValue()).isLessThanOrEqualTo(account.now()));
    }

    private static void runExact(Db db, SimulatedAccount account) {
        Seconds.awaitNext();
        PackagedApp run = PackagedApp.start(SimulatorResource.processSettings(PostgresResource.databaseUrl()));
        assertThat(run.exitCode(EXIT)).as(run.output()).isZero();
        Mirror.assertDatabaseEquals(db, account);
    }
}
