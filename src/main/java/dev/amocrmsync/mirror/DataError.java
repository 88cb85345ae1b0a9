package dev.amocrmsync.mirror;

import java.sql.SQLException;
import java.util.Optional;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.DatabaseException;

/**
 * PostgreSQL refused a value, not the connection: SQLSTATE class 22 (data exception: a number out of range, a timestamp
 * beyond its years, JSON it cannot hold) or 54 (a program limit: an index entry over its size). Retrying the same
 * statement fails the same way on every run, so such a failure is never "the database is unavailable": the item that
 * carries the value is set aside and the rest of its page is written.
 *
 * @param sqlState the five-character SQLSTATE, such as {@code 22008}
 * @param message PostgreSQL's first line about it
 */
public record DataError(String sqlState, String message) {

    /** The data error somewhere in this failure's causes, if it is one. */
    public static Optional<DataError> in(Throwable failure) {
        // PostgreSQL's own words first: a driver's wrapper around them repeats them with decorations
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && pg.getSqlState() != null && data(pg.getSqlState())) {
                return Optional.of(new DataError(pg.getSqlState(), firstLine(String.valueOf(pg.getErrorMessage()))));
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String state = t instanceof DatabaseException database ? database.getSqlState()
                    : t instanceof SQLException sql ? sql.getSQLState() : null;
            if (state != null && data(state)) {
                return Optional.of(new DataError(state, firstLine(String.valueOf(t.getMessage()))));
            }
        }
        return Optional.empty();
    }

    private static boolean data(String sqlState) {
        return sqlState.startsWith("22") || sqlState.startsWith("54");
    }

    /** The first line, without the driver's decoration: {@code ERROR: <message> (22008)} becomes the message. */
    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse(text);
        return line.replaceFirst("^(?:ERROR|FATAL|PANIC): (.*) \\([0-9A-Z]{5}\\)$", "$1");
    }

    public static boolean isIn(Throwable failure) {
        return in(failure).isPresent();
    }

    /** As a quarantine reason or a log line: {@code PostgreSQL refused it: timestamp out of range (SQLSTATE 22008)}. */
    public String describe() {
        return "PostgreSQL refused it: " + message + " (SQLSTATE " + sqlState + ")";
    }
}
