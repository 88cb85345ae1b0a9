package dev.amocrmsync.sync;

/**
 * The connection holding the run lock died mid-run, so another run may already hold the lock: this one stops before
 * its next commit rather than write beside it.
 */
public final class RunLockLost extends RuntimeException {

    RunLockLost(Throwable cause) {
        super("The database connection holding the run lock was lost (" + cause.getMessage() + "): the run stopped so"
                + " that two runs never write at once. If this repeats, look for an idle-connection timeout or a proxy"
                + " between this host and PostgreSQL (the lock needs a session, not transaction pooling); the next run"
                + " resumes from the last committed page", cause);
    }
}
