package dev.amocrmsync.cli;

import java.util.concurrent.CompletionException;

import org.flywaydb.core.api.FlywayException;
import org.hibernate.HibernateException;

import dev.amocrmsync.amocrm.AccountBlocked;
import dev.amocrmsync.amocrm.AmoCrmUnavailable;
import dev.amocrmsync.amocrm.MalformedResponse;
import dev.amocrmsync.amocrm.RateLimited;
import dev.amocrmsync.amocrm.RequestRejected;
import dev.amocrmsync.amocrm.Unauthorized;
import dev.amocrmsync.auth.OAuthRefused;
import dev.amocrmsync.auth.SessionServiceUnavailable;
import dev.amocrmsync.config.InvalidSettingsException;
import dev.amocrmsync.mirror.DataError;
import dev.amocrmsync.sync.RunInterrupted;
import dev.amocrmsync.sync.RunLockLost;
import io.smallrye.faulttolerance.api.RateLimitException;

/**
 * What went wrong, in one line an operator can act on, and the exit code that goes with it. Every message here comes
 * from our own exceptions or the database driver; none carries a token or password.
 */
record Failure(Exit exit, String message) {

    private static final String RESUMES = "; the next run resumes from the last committed page";

    static Failure of(Throwable thrown, DatabaseTarget database) {
        Throwable failure = unwrap(thrown);
        if (failure instanceof InvalidSettingsException) {
            return new Failure(Exit.INVALID_SETTINGS, failure.getMessage());
        } else if (failure instanceof Unauthorized || failure instanceof OAuthRefused) {
            return new Failure(Exit.AUTH_REFUSED, failure.getMessage());
        } else if (failure instanceof AccountBlocked) {
            return new Failure(Exit.ACCOUNT_BLOCKED, failure.getMessage());
        } else if (failure instanceof RateLimited || failure instanceof RateLimitException) {
            return new Failure(Exit.AMOCRM_UNAVAILABLE,
                    "amoCRM kept answering 429 after every retry: " + failure.getMessage() + RESUMES);
        } else if (failure instanceof AmoCrmUnavailable) {
            return new Failure(Exit.AMOCRM_UNAVAILABLE,
                    "amoCRM is not answering properly after retries: " + failure.getMessage() + RESUMES);
        } else if (failure instanceof MalformedResponse) {
            return new Failure(Exit.AMOCRM_UNAVAILABLE,
                    failure.getMessage() + "; nothing of that page was written" + RESUMES);
        } else if (failure instanceof RequestRejected) {
            return new Failure(Exit.FAILED, failure.getMessage());
        } else if (failure instanceof SessionServiceUnavailable) {
            return new Failure(Exit.SESSION_SERVICE_UNAVAILABLE, failure.getMessage());
        } else if (DataError.isIn(failure)) {
            // a value PostgreSQL cannot hold fails the same way on every run: never "check that the server is up"
            return new Failure(Exit.FAILED, DataError.in(failure).orElseThrow().describe() + ", a value amocrm-sync"
                    + " should have set aside with its item in sync_quarantine: report it with the log. Nothing of that"
                    + " transaction was written" + RESUMES);
        } else if (failure instanceof RunLockLost) {
            // a database that went away takes the lock's connection first: name the database, then the lock
            return new Failure(Exit.DATABASE_UNAVAILABLE, database.unavailable(failure) + ". " + failure.getMessage());
        } else if (failure instanceof RunInterrupted) {
            return new Failure(Exit.INTERRUPTED, failure.getMessage());
        } else if (isCircuitOpen(failure)) {
            return new Failure(Exit.AMOCRM_UNAVAILABLE, "amoCRM failed too many calls in a row; stopped calling it for"
                    + " now (circuit breaker open)" + RESUMES);
        } else if (failure instanceof FlywayException || isDatabase(failure) || isConnection(failure)) {
            // amoCRM's and the session service's connections fail as their own exceptions above: a bare connection
            // failure left here is the database's pool not reaching its server (refused, reset, closed mid-run)
            return new Failure(Exit.DATABASE_UNAVAILABLE, database.unavailable(failure));
        }
        return new Failure(Exit.FAILED, describe(failure));
    }

    private static Throwable unwrap(Throwable thrown) {
        Throwable failure = thrown;
        while ((failure instanceof CompletionException || failure.getClass() == RuntimeException.class)
                && failure.getCause() != null && failure.getCause() != failure) {
            failure = failure.getCause();
        }
        return failure;
    }

    private static boolean isCircuitOpen(Throwable failure) {
        return failure.getClass().getSimpleName().equals("CircuitBreakerOpenException");
    }

    private static boolean isDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String type = t.getClass().getName();
            if (t instanceof HibernateException || type.startsWith("io.vertx.pgclient")
                    || type.startsWith("io.vertx.sqlclient") || type.startsWith("org.postgresql")
                    || type.startsWith("java.sql")) {
                return true;
            }
        }
        return false;
    }

    /** The reactive client's way of not reaching a server: refused, reset, unknown host, no answer in time. */
    static boolean isConnection(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String type = t.getClass().getName();
            if (t instanceof java.io.IOException || type.endsWith("TimeoutException") || type.startsWith("io.netty")
                    || type.startsWith("io.vertx")) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
