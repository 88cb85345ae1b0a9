package dev.amocrmsync.amocrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.time.Duration;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.TimeoutException;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The shared request budget fails safe (issue 19): a row held ahead by an hour, or locked by a transaction that never
 * ends, no longer holds every process of the account back.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class RequestSlotsTest {

    private static final String ACCOUNT = "https://slots.amocrm.ru";
    private static final Duration INTERVAL = Duration.ofMillis(167);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Inject
    Pool pool;

    @Inject
    DataSource dataSource;

    private RequestSlots slots;
    private Db db;

    @BeforeEach
    void freshRow() {
        slots = RequestSlots.on(pool);
        db = new Db(dataSource);
        db.update("DELETE FROM amocrm_request_budget WHERE account_url = ?", ACCOUNT);
    }

    @Test
    void aSlotTheRowHoldsAnHourAheadIsAMinuteAwayAtMost() {
        db.update("INSERT INTO amocrm_request_budget (account_url, next_slot) VALUES (?, now() + interval '1 hour')",
                ACCOUNT);

        RequestSlots.Slot slot = slots.reserve(ACCOUNT, INTERVAL, "serve", MINUTE).await().atMost(Duration.ofSeconds(10));

        assertThat(slot.delay()).isLessThanOrEqualTo(MINUTE);
    }

    @Test
    void aPauseOfAnHourIsRecordedAsAMinute() {
        slots.pause(ACCOUNT, Duration.ofHours(1), MINUTE).await().atMost(Duration.ofSeconds(10));

        assertThat(((Number) db.value("SELECT extract(epoch FROM next_slot - now()) FROM amocrm_request_budget"
                + " WHERE account_url = ?", ACCOUNT)).doubleValue()).isBetween(50.0, 60.0);
    }

    @Test
    void aLockedRowFailsTheReservationInsteadOfHoldingItBack() throws Exception {
        slots.reserve(ACCOUNT, INTERVAL, "serve", MINUTE).await().atMost(Duration.ofSeconds(10));
        try (Connection operator = dataSource.getConnection()) {
            operator.setAutoCommit(false);
            operator.createStatement().execute("SELECT * FROM amocrm_request_budget FOR UPDATE");

            assertThatThrownBy(() -> slots.reserve(ACCOUNT, INTERVAL, "serve", MINUTE).await()
                    .atMost(Duration.ofSeconds(20)))
                    .as("failed by the database's lock timeout or the client's, not still waiting")
                    .isNotInstanceOf(TimeoutException.class);
            operator.rollback();
        }
    }

    @Test
    void theProcessesThatTookSlotsRecentlyAreCounted() {
        slots.reserve(ACCOUNT, INTERVAL, "serve", MINUTE).await().atMost(Duration.ofSeconds(10));
        slots.reserve(ACCOUNT, INTERVAL, "cronjob", MINUTE).await().atMost(Duration.ofSeconds(10));
        db.update("UPDATE amocrm_request_budget SET holders = holders || jsonb_build_object('gone',"
                + " extract(epoch FROM now()) - 3600) WHERE account_url = ?", ACCOUNT);

        RequestSlots.Slot slot = slots.reserve(ACCOUNT, INTERVAL, "serve", MINUTE).await().atMost(Duration.ofSeconds(10));

        assertThat(slot.processes()).as("serve and the CronJob; not the one gone an hour ago").isEqualTo(2);
        assertThat(slot.shared()).isTrue();
    }
}
