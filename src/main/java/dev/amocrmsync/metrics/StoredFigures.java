package dev.amocrmsync.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Singleton;

import dev.amocrmsync.sync.Serving;
import dev.amocrmsync.sync.SyncEnded;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * The figures the database keeps, as gauges: when a run last succeeded, how many failed since, what waits in the
 * quarantine and the webhook backlog, when the OAuth pair was last refreshed. Read from the tables, not remembered by the
 * process: a one-shot sync that fails before its run is recorded still pushes the last success of an earlier run, and
 * {@code serve} shows what a CronJob beside it did. Times are unix seconds, never ages: a pushed age would freeze at the
 * push, while Prometheus computes {@code time() - ...} at every evaluation.
 */
@Singleton
public class StoredFigures {

    private static final String FIGURES = """
            SELECT
              (SELECT CAST(extract(epoch FROM finished_at) AS double precision) FROM sync_runs
                WHERE status IN ('succeeded', 'quarantined') ORDER BY id DESC LIMIT 1),
              (SELECT CAST(extract(epoch FROM finished_at) AS double precision) FROM sync_runs
                WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1),
              (SELECT count(*) FROM sync_runs WHERE status IN ('failed', 'abandoned')
                AND id > coalesce((SELECT max(id) FROM sync_runs WHERE status IN ('succeeded', 'quarantined')), 0)),
              (SELECT count(*) FROM amocrm_webhook_events WHERE processed_at IS NULL),
              (SELECT CAST(extract(epoch FROM min(received_at)) AS double precision) FROM amocrm_webhook_events
                WHERE processed_at IS NULL),
              (SELECT CAST(extract(epoch FROM max(refreshed_at)) AS double precision) FROM oauth_tokens)
            """;
    // every entity of the last successful run, so an empty quarantine shows as 0 rather than as no series
    private static final String QUARANTINED = """
            SELECT e.entity, (SELECT count(*) FROM sync_quarantine q WHERE q.entity = e.entity AND q.resolved_at IS NULL)
            FROM (SELECT entity FROM sync_run_entities WHERE run_id = (SELECT max(id) FROM sync_runs
                    WHERE status IN ('succeeded', 'quarantined'))
                  UNION SELECT entity FROM sync_quarantine WHERE resolved_at IS NULL) e
            """;

    private final MeterRegistry registry;
    private final AtomicLong lastSuccess = nan();
    private final AtomicLong lastFinished = nan();
    private final AtomicLong failedInARow = nan();
    private final AtomicLong backlog = nan();
    private final AtomicLong oldestPending = nan();
    private final AtomicLong tokenRefreshed = nan();
    private final Map<String, AtomicLong> quarantined = new ConcurrentHashMap<>();

    StoredFigures(MeterRegistry registry) {
        this.registry = registry;
        gauge("amocrm_sync_last_success_timestamp_seconds", lastSuccess,
                "when the last successful run (quarantined items included) finished, from sync_runs (unix seconds)");
        gauge("amocrm_sync_last_run_timestamp_seconds", lastFinished,
                "when the last recorded run finished, whatever its outcome, from sync_runs (unix seconds)");
        gauge("amocrm_sync_failed_runs_in_a_row", failedInARow,
                "recorded runs that failed or were abandoned since the last successful one, from sync_runs");
        gauge("amocrm_sync_webhook_backlog_events", backlog, "webhook events received and not applied yet");
        gauge("amocrm_sync_webhook_backlog_oldest_timestamp_seconds", oldestPending,
                "when the oldest webhook event not applied yet was received (unix seconds; NaN when none waits)");
        gauge("amocrm_sync_oauth_refreshed_timestamp_seconds", tokenRefreshed,
                "when the stored OAuth pair was last refreshed, its refresh token issued (unix seconds; NaN without"
                        + " stored tokens). amoCRM's refresh token dies 3 months after that unless used");
    }

    /** In {@code serve}, between runs: a CronJob beside it, the webhook backlog and the token move on their own. */
    @Scheduled(identity = "stored-figures", every = "{amocrm.metrics.refresh-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Serving.class)
    Uni<Void> onSchedule() {
        return refresh();
    }

    /** After each of {@code serve}'s runs: its scrape then shows the run's outcome, not the one before. */
    void runEnded(@ObservesAsync SyncEnded ended) throws Throwable {
        VertxContextSupport.subscribeAndAwait(this::refresh);
    }

    /** Reads the figures again; a database that does not answer leaves the last ones read (it fails the run anyway). */
    public Uni<Void> refresh() {
        return Panache.withSession(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(FIGURES, Object[].class).getSingleResult()
                        .invoke(this::figures)
                        .chain(() -> session.createNativeQuery(QUARANTINED, Object[].class).getResultList())
                        .invoke(this::quarantined)))
                .onFailure().invoke(failure -> Log.debugf("Figures not read from the database: %s", failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private void figures(Object[] row) {
        set(lastSuccess, row[0]);
        set(lastFinished, row[1]);
        set(failedInARow, row[2]);
        set(backlog, row[3]);
        set(oldestPending, row[4]);
        set(tokenRefreshed, row[5]);
    }

    private void quarantined(List<Object[]> rows) {
        quarantined.values().forEach(count -> count.set(Double.doubleToLongBits(0)));
        for (Object[] row : rows) {
            String entity = (String) row[0];
            set(quarantined.computeIfAbsent(entity, name -> {
                AtomicLong count = nan();
                Gauge.builder("amocrm_sync_quarantined_items", count, StoredFigures::value)
                        .description("items set aside in sync_quarantine and not stored yet, per entity")
                        .tag("entity", name).register(registry);
                return count;
            }), row[1]);
        }
    }

    private void gauge(String name, AtomicLong bits, String description) {
        Gauge.builder(name, bits, StoredFigures::value).description(description).register(registry);
    }

    private static void set(AtomicLong bits, Object value) {
        bits.set(Double.doubleToLongBits(value == null ? Double.NaN : ((Number) value).doubleValue()));
    }

    private static AtomicLong nan() {
        return new AtomicLong(Double.doubleToLongBits(Double.NaN));
    }

    private static double value(AtomicLong bits) {
        return Double.longBitsToDouble(bits.get());
    }
}
