package dev.amocrmsync.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.auth.AccessMode;
import dev.amocrmsync.auth.ActiveAccess;
import dev.amocrmsync.auth.OAuthConfig;
import dev.amocrmsync.auth.OAuthTokens;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * {@code serve}'s sync on a cron ({@code AMOCRM_SYNC_CRON}). A tick that finds a run still going is skipped, and a
 * failed run is logged, never fatal: the next tick resumes from the last committed page.
 */
@ApplicationScoped
public class ScheduledSync {

    private final SyncService sync;
    private final OAuthConfig oauth;
    private final OAuthTokens tokens;
    private final Clock clock;
    private volatile Instant lastSuccess;
    private volatile SyncReport lastReport;
    private volatile String lastFailure;

    private final ActiveAccess access;
    private final AmoCrmClient client;
    private final Event<SyncEnded> ended;

    ScheduledSync(SyncService sync, OAuthConfig oauth, OAuthTokens tokens, Clock clock, ActiveAccess access,
            AmoCrmClient client, Event<SyncEnded> ended) {
        this.ended = ended;
        this.access = access;
        this.client = client;
        this.sync = sync;
        this.clock = clock;
        this.oauth = oauth;
        this.tokens = tokens;
    }

    @Scheduled(identity = "amocrm-sync", cron = "{amocrm.sync.cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Serving.class)
    Uni<Void> onSchedule() {
        return runNow();
    }

    /** One incremental sync, logged; completes normally whatever happens. */
    public Uni<Void> runNow() {
        return sync.run(SyncRequest.incremental())
                .invoke(report -> {
                    if (report.outcome() == SyncReport.Outcome.LOCK_STUCK) {
                        lastFailure = report.note();
                    } else if (report.outcome() != SyncReport.Outcome.ALREADY_RUNNING) {
                        lastSuccess = clock.instant();
                        lastFailure = null;
                        lastReport = report;
                        Log.infof("Sync done: %s", report.summary());
                    }
                })
                .onFailure().invoke(failure -> {
                    lastFailure = String.valueOf(failure.getMessage());
                    Log.errorf("Sync failed; the next run resumes from the last committed page: %s", lastFailure);
                })
                .map(report -> new SyncEnded(Optional.of(report), Optional.empty()))
                .onFailure().recoverWithItem(failure -> new SyncEnded(Optional.empty(), Optional.of(failure)))
                .chain(ended -> Uni.createFrom().completionStage(() -> this.ended.fireAsync(ended)))
                .onFailure().invoke(failure -> Log.warnf("The run's figures were not updated: %s", failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * Keeps stored OAuth tokens alive in {@code serve} even when syncs are off (webhooks only): a refresh token unused
     * for 3 months dies, and the access token is refreshed whenever it is about to expire.
     */
    @Scheduled(identity = "oauth-keep-alive", every = "{amocrm.oauth.keep-alive-every}", delayed = "{amocrm.oauth.keep-alive-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Serving.class)
    Uni<Void> keepOAuthTokensAlive() {
        if (!oauth.configured()) {
            return Uni.createFrom().voidItem();
        }
        // one real request: it learns amoCRM's clock (by which the pair expires), refreshes a pair about to expire,
        // and a 401 refreshes an expired one
        return tokens.stored().chain(stored -> !stored ? Uni.createFrom().voidItem()
                : access.activate().chain(mode -> mode == AccessMode.OAUTH ? client.account().replaceWithVoid()
                        : Uni.createFrom().voidItem()))
                .onFailure().invoke(failure -> Log.errorf("OAuth tokens could not be kept fresh: %s", failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** What the last successful run did, per entity, for the health check. */
    public Optional<SyncReport> lastReport() {
        return Optional.ofNullable(lastReport);
    }

    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess);
    }

    public Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }
}
