package dev.amocrmsync.cli;

import java.util.Optional;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Names the configured database in messages (host, port, database; never the password). */
@Singleton
class DatabaseTarget {

    private final Optional<String> jdbcUrl;

    DatabaseTarget(@ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    boolean configured() {
        return jdbcUrl.isPresent();
    }

    String describe() {
        return jdbcUrl.map(url -> url.replaceFirst("^jdbc:postgresql://", "").replaceFirst("\\?.*$", ""))
                .orElse("(not configured)");
    }

    String unavailable(Throwable failure) {
        return "PostgreSQL at " + describe() + " failed: " + rootCause(failure) + ". Check DATABASE_URL and that the"
                + " server is up; nothing was half-written and the next run resumes from the last committed page";
    }

    /** For a command that only reads: nothing to resume. */
    String unreadable(Throwable failure) {
        return "PostgreSQL at " + describe() + " failed: " + rootCause(failure) + ". Check DATABASE_URL (and"
                + " AMOCRM_DB_SCHEMA) and that the server is up";
    }

    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
