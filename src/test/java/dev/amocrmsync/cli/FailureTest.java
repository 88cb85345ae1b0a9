package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.CompletionException;

import org.hibernate.HibernateException;
import org.junit.jupiter.api.Test;

import io.vertx.pgclient.PgException;

/** What a failure tells the operator, and its exit code, without booting anything. */
class FailureTest {

    private final DatabaseTarget database = new DatabaseTarget(Optional.of("jdbc:postgresql://db.example:5432/crm"));

    @Test
    void aValuePostgreSQLRefusesIsNeverReportedAsAnUnavailableDatabase() {
        Failure failure = Failure.of(statementFailed("invalid input syntax for type json", "22P02"), database);

        assertThat(failure.exit()).isNotEqualTo(Exit.DATABASE_UNAVAILABLE);
        assertThat(failure.message()).contains("PostgreSQL refused it: invalid input syntax for type json",
                "SQLSTATE 22P02", "sync_quarantine").doesNotContain("DATABASE_URL").doesNotContain("server is up");
        assertThat(Failure.of(statementFailed("index row size 3016 exceeds btree version 4 maximum 2704", "54000"),
                database).exit()).isNotEqualTo(Exit.DATABASE_UNAVAILABLE);
    }

    @Test
    void aLostConnectionStillIsAnUnavailableDatabase() {
        Failure failure = Failure.of(statementFailed("terminating connection due to administrator command", "57P01"),
                database);

        assertThat(failure.exit()).isEqualTo(Exit.DATABASE_UNAVAILABLE);
        assertThat(failure.message()).contains("PostgreSQL at db.example:5432/crm failed", "DATABASE_URL");
    }

    @Test
    void aPoolThatCannotReachItsServerMidRunIsAnUnavailableDatabase() {
        // the pool's own failures reach the run unwrapped when no statement was in flight as the server went away
        for (Throwable lost : new Throwable[] {
                new CompletionException(new java.net.ConnectException("Connection refused: /127.0.0.1:5432")),
                new io.vertx.core.VertxException("Connection was closed", true) }) {
            Failure failure = Failure.of(lost, database);

            assertThat(failure.exit()).as(lost.toString()).isEqualTo(Exit.DATABASE_UNAVAILABLE);
            assertThat(failure.message()).contains("PostgreSQL at db.example:5432/crm failed", "DATABASE_URL");
        }
    }

    private static Throwable statementFailed(String message, String sqlState) {
        return new CompletionException(new HibernateException("error executing SQL statement",
                new PgException(message, "ERROR", sqlState, null)));
    }
}
