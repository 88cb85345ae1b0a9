package dev.amocrmsync.cli;

/** Exit codes, documented in src-native-docs/operations.md: scripts and Kubernetes tell failures apart by them. */
public enum Exit {
    OK(0),
    FAILED(1),
    INVALID_SETTINGS(2),
    QUARANTINED(3),
    AUTH_REFUSED(4),
    ACCOUNT_BLOCKED(5),
    AMOCRM_UNAVAILABLE(6),
    DATABASE_UNAVAILABLE(7),
    SESSION_SERVICE_UNAVAILABLE(8),
    /** The run lock has been held longer than any run takes: a stuck session blocks every sync. */
    LOCK_STUCK(9),
    /** {@code status}: no run has succeeded for AMOCRM_STATUS_STALE_PERIODS schedule periods. */
    STALE(10),
    /** {@code status}: the latest runs failed in a row (AMOCRM_STATUS_FAILING_RUNS). */
    FAILING(11),
    /** {@code status}: no run has ever succeeded on this database (schema). */
    NEVER_SYNCED(12),
    /** As a process ended by SIGTERM reports it. */
    INTERRUPTED(143);

    public final int code;

    Exit(int code) {
        this.code = code;
    }
}
