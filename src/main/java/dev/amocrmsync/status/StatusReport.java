package dev.amocrmsync.status;

import java.time.Instant;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What {@code amocrm-sync status} found in the database, and its verdict: printed as text for a person, as JSON
 * ({@code --json}) for scripts. Times are instants; ages and lags are whole seconds, null when unknown. Ages are
 * measured by the database's clock, the one that stamps the runs; lags by amoCRM's ({@link #amoCrmNow()}).
 *
 * @param schema the PostgreSQL schema of the account ({@code AMOCRM_DB_SCHEMA})
 * @param account the account this schema mirrors, as its first run recorded it; null before one reached amoCRM
 * @param amoCrmNow amoCRM's clock now, estimated as the latest run's upper bound (amoCRM's {@code Date} header when
 *        it started) advanced by the time since on the database's clock; null before any run read amoCRM
 * @param failuresInRow how many of the latest finished runs did not succeed, newest first
 */
@RegisterForReflection
public record StatusReport(Health health, String schema, String account, Instant checkedAt, Instant amoCrmNow,
        Run lastSuccess, Run lastRun, int failuresInRow, Run lastFailure, Running running, List<EntityStatus> entities,
        Webhooks webhooks, Token token) {

    /** A recorded run; {@code ageSeconds} since it finished (or started, while it has not). */
    @RegisterForReflection
    public record Run(long id, String kind, String status, Instant startedAt, Instant finishedAt, Long ageSeconds,
            String error) {
    }

    /**
     * The run holding the run lock now. {@code fraction} is the share of the ranges its scans have read (amoCRM time,
     * not items), {@code leftSeconds} the time left at the pace the run has kept; both null before its scans start.
     */
    @RegisterForReflection
    public record Running(Long id, String kind, Instant startedAt, long runningSeconds, String holder, long pages,
            long itemsRead, Double fraction, Long leftSeconds) {
    }

    /**
     * One entity of the account.
     *
     * @param lastSuccess when the latest successful run that read it ended
     * @param cursor everything amoCRM changed before this is mirrored
     * @param lagSeconds amoCRM's now minus the cursor
     * @param quarantined items set aside and not stored yet ({@code sync_quarantine}), the latest reason with them
     * @param scanFraction how much of an unfinished scan is read (a run in progress, or one that stopped midway)
     */
    @RegisterForReflection
    public record EntityStatus(String entity, Instant lastSuccess, Long lastSuccessAgeSeconds, Instant cursor,
            Long lagSeconds, long live, long deleted, long quarantined, String lastQuarantineReason,
            Double scanFraction) {
    }

    /** Webhook events received and not applied yet, and how long the oldest has waited. */
    @RegisterForReflection
    public record Webhooks(long pending, Long oldestAgeSeconds) {
    }

    /**
     * The OAuth tokens, when the integration was authorized ({@code amocrm-sync oauth}): every refresh gives a new
     * refresh token, and amoCRM drops one left unused for three months, so its age is the time since the last refresh.
     */
    @RegisterForReflection
    public record Token(Instant refreshedAt, long ageSeconds, Instant refreshTokenDiesAround) {
    }
}
