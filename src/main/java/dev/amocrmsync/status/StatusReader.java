package dev.amocrmsync.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.mirror.WindowProgress;
import dev.amocrmsync.scan.Coverage;
import dev.amocrmsync.sync.MirroredEntities;
import dev.amocrmsync.sync.RunLock;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads a {@link StatusReport} from the account's schema: the runs ({@code sync_runs}, {@code sync_run_entities}), each
 * entity's cursor and unfinished scan ({@code sync_state}, {@code sync_windows}), its table, its quarantine, the
 * webhook events waiting and the OAuth token row. Reads only: it never migrates nor writes, so it can look at a
 * database another version syncs. Blocking: called from the command's thread, never from an event loop.
 */
@ApplicationScoped
public class StatusReader {

    private static final Duration QUERY_WITHIN = Duration.ofSeconds(30);
    // amoCRM drops a refresh token left unused this long
    private static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofDays(90);
    private static final String SUCCEEDED = "('succeeded', 'quarantined')";

    private static final String SCHEMA = "SELECT current_schema(), to_regclass('sync_runs') IS NOT NULL,"
            + " to_regclass('oauth_tokens') IS NOT NULL, to_regclass('amocrm_webhook_events') IS NOT NULL,"
            + " CAST(extract(epoch FROM now()) AS bigint)";
    private static final String ACCOUNT = "SELECT account_url FROM sync_account";
    private static final String RUN_COLUMNS = """
            SELECT id, kind, status, CAST(extract(epoch FROM started_at) AS bigint),
                   CAST(extract(epoch FROM finished_at) AS bigint),
                   CAST(extract(epoch FROM now() - COALESCE(finished_at, started_at)) AS bigint), error
            FROM sync_runs r""";
    private static final String LAST_SUCCESS = RUN_COLUMNS + " WHERE status IN " + SUCCEEDED
            + " ORDER BY id DESC LIMIT 1";
    // newest first: those not succeeded before the first that did are the failures in a row
    private static final String LATEST_FINISHED = RUN_COLUMNS + " WHERE status <> 'running' ORDER BY id DESC LIMIT 50";
    // a run's upper bound is amoCRM's clock (its Date header) when it started; the database's clock measures the time
    // since: no host clock enters the lag (a --since run may bound itself elsewhere, so only these kinds count)
    private static final String AMOCRM_NOW = """
            SELECT CAST(extract(epoch FROM range_to) AS bigint) + 1 + CAST(extract(epoch FROM now() - started_at) AS bigint)
            FROM sync_runs WHERE range_to IS NOT NULL AND kind IN ('incremental', 'full') ORDER BY id DESC LIMIT 1""";
    private static final String RUNNING = """
            SELECT id, kind, CAST(extract(epoch FROM started_at) AS bigint),
                   CAST(extract(epoch FROM now() - started_at) AS bigint), pages, leads_read
            FROM sync_runs WHERE status = 'running' ORDER BY id DESC LIMIT 1""";
    private static final String ENTITY_SUCCESS = """
            SELECT CAST(extract(epoch FROM r.finished_at) AS bigint), CAST(extract(epoch FROM now() - r.finished_at) AS bigint)
            FROM sync_runs r JOIN sync_run_entities e ON e.run_id = r.id AND e.entity = $1
            WHERE r.status IN %s ORDER BY r.id DESC LIMIT 1""".formatted(SUCCEEDED);
    private static final String STATE = """
            SELECT CAST(extract(epoch FROM COALESCE(cursor_at, events_cursor_at)) AS bigint), plan_from, plan_to
            FROM sync_state WHERE entity = $1""";
    private static final String WINDOWS = """
            SELECT window_no, window_from, window_to, cursor_second, done FROM sync_windows WHERE entity = $1""";
    private static final String QUARANTINE = """
            SELECT count(*) OVER (), reason FROM sync_quarantine WHERE entity = $1 AND resolved_at IS NULL
            ORDER BY id DESC LIMIT 1""";
    private static final String WEBHOOKS = """
            SELECT count(*), CAST(extract(epoch FROM now() - min(received_at)) AS bigint)
            FROM amocrm_webhook_events WHERE processed_at IS NULL""";
    private static final String TOKEN = """
            SELECT CAST(extract(epoch FROM refreshed_at) AS bigint), CAST(extract(epoch FROM now() - refreshed_at) AS bigint)
            FROM oauth_tokens""";

    // resolved on first use, as the run lock's: without a configured database the pool bean is inactive
    private final Instance<Pool> pool;
    private final RunLock lock;
    private final MirroredEntities mirrored;
    private final StatusConfig config;

    StatusReader(Instance<Pool> pool, RunLock lock, MirroredEntities mirrored, StatusConfig config) {
        this.pool = pool;
        this.lock = lock;
        this.mirrored = mirrored;
        this.config = config;
    }

    public StatusReport read() {
        Row schema = one(SCHEMA).orElseThrow();
        Instant checkedAt = Instant.ofEpochSecond(schema.getLong(4));
        if (!schema.getBoolean(1)) {
            // nothing has run on this schema: no table of ours to read
            return new StatusReport(Health.judge(null, 0, null, 0, config), schema.getString(0), null, checkedAt, null,
                    null, null, 0, null, null, List.of(), new StatusReport.Webhooks(0, null), null);
        }
        String account = one(ACCOUNT).map(row -> row.getString(0)).orElse(null);
        StatusReport.Run lastSuccess = one(LAST_SUCCESS).map(StatusReader::run).orElse(null);
        List<StatusReport.Run> finished = all(LATEST_FINISHED).stream().map(StatusReader::run).toList();
        int failuresInRow = (int) finished.stream().takeWhile(run -> !isSuccess(run)).count();
        StatusReport.Run lastFailure = finished.stream().filter(run -> !isSuccess(run)).findFirst().orElse(null);
        Long amoCrmNow = one(AMOCRM_NOW).map(row -> row.getLong(0)).orElse(null);
        List<StatusReport.EntityStatus> entities = new ArrayList<>();
        List<Coverage> scans = new ArrayList<>();
        for (Entity<?> entity : mirrored.entities()) {
            entities.add(entity(entity, amoCrmNow, scans));
        }
        long quarantined = entities.stream().mapToLong(StatusReport.EntityStatus::quarantined).sum();
        return new StatusReport(Health.judge(lastSuccess, failuresInRow, lastFailure, quarantined, config),
                schema.getString(0), account, checkedAt, amoCrmNow == null ? null : Instant.ofEpochSecond(amoCrmNow),
                lastSuccess, finished.isEmpty() ? null : finished.get(0), failuresInRow, lastFailure, running(scans),
                entities, schema.getBoolean(3) ? webhooks() : new StatusReport.Webhooks(0, null),
                schema.getBoolean(2) ? token() : null);
    }

    private StatusReport.EntityStatus entity(Entity<?> entity, Long amoCrmNow, List<Coverage> scans) {
        Optional<Row> success = one(ENTITY_SUCCESS, entity.name());
        Optional<Row> state = one(STATE, entity.name());
        Long cursor = state.map(row -> row.getLong(0)).orElse(null);
        Double scanFraction = null;
        if (state.isPresent() && state.get().getLong(1) != null) {
            Coverage coverage = Coverage.of(state.get().getLong(1), state.get().getLong(2),
                    all(WINDOWS, entity.name()).stream().map(StatusReader::window).toList());
            scans.add(coverage);
            scanFraction = coverage.fraction();
        }
        Row rows = one(entity.table().liveAndDeleted()).orElseThrow();
        Optional<Row> quarantine = one(QUARANTINE, entity.name());
        return new StatusReport.EntityStatus(entity.name(),
                success.map(row -> Instant.ofEpochSecond(row.getLong(0))).orElse(null),
                success.map(row -> row.getLong(1)).orElse(null),
                cursor == null ? null : Instant.ofEpochSecond(cursor),
                cursor == null || amoCrmNow == null ? null : Math.max(0, amoCrmNow - cursor),
                rows.getLong(0), rows.getLong(1), quarantine.map(row -> row.getLong(0)).orElse(0L),
                quarantine.map(row -> row.getString(1)).orElse(null), scanFraction);
    }

    /**
     * The run holding the lock, if any: the lock says whether a process is at work (a row left 'running' by a killed
     * one is not), the row what it is. Its scans' progress is what {@code sync_windows} holds, committed page by page.
     */
    private StatusReport.Running running(List<Coverage> scans) {
        Optional<RunLock.Holder> holder = lock.holder().await().atMost(QUERY_WITHIN);
        if (holder.isEmpty()) {
            return null;
        }
        Optional<Row> row = one(RUNNING);
        long total = scans.stream().mapToLong(Coverage::total).sum();
        Double fraction = scans.isEmpty() ? null
                : total == 0 ? 1.0
                        : (double) scans.stream().mapToLong(Coverage::read).sum() / total;
        long runningSeconds = row.map(r -> r.getLong(3)).orElse(holder.get().heldFor().toSeconds());
        // at the pace of the run so far: a resumed scan's earlier part makes it look faster than it is
        Long left = fraction == null || fraction <= 0 || fraction >= 1 ? null
                : (long) (runningSeconds * (1 - fraction) / fraction);
        return new StatusReport.Running(row.map(r -> r.getLong(0)).orElse(null), row.map(r -> r.getString(1)).orElse(null),
                row.map(r -> Instant.ofEpochSecond(r.getLong(2))).orElse(null), runningSeconds, holder.get().describe(),
                row.map(r -> r.getLong(4)).orElse(0L), row.map(r -> r.getLong(5)).orElse(0L), fraction, left);
    }

    private StatusReport.Webhooks webhooks() {
        Row row = one(WEBHOOKS).orElseThrow();
        return new StatusReport.Webhooks(row.getLong(0), row.getLong(1));
    }

    private StatusReport.Token token() {
        return one(TOKEN).map(row -> new StatusReport.Token(Instant.ofEpochSecond(row.getLong(0)), row.getLong(1),
                Instant.ofEpochSecond(row.getLong(0)).plus(REFRESH_TOKEN_LIFETIME))).orElse(null);
    }

    private static StatusReport.Run run(Row row) {
        return new StatusReport.Run(row.getLong(0), row.getString(1), row.getString(2),
                Instant.ofEpochSecond(row.getLong(3)),
                row.getLong(4) == null ? null : Instant.ofEpochSecond(row.getLong(4)), row.getLong(5), row.getString(6));
    }

    private static WindowProgress window(Row row) {
        return new WindowProgress(row.getInteger(0), row.getLong(1), row.getLong(2), row.getLong(3), List.of(),
                row.getBoolean(4));
    }

    private static boolean isSuccess(StatusReport.Run run) {
        return run.status().equals("succeeded") || run.status().equals("quarantined");
    }

    private Optional<Row> one(String sql, Object... parameters) {
        RowSet<Row> rows = query(sql, parameters);
        return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
    }

    private List<Row> all(String sql, Object... parameters) {
        List<Row> rows = new ArrayList<>();
        query(sql, parameters).forEach(rows::add);
        return rows;
    }

    private RowSet<Row> query(String sql, Object... parameters) {
        return pool.get().preparedQuery(sql).execute(Tuple.from(java.util.Arrays.asList(parameters))).await()
                .atMost(QUERY_WITHIN);
    }
}
