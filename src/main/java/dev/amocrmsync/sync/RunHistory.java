package dev.amocrmsync.sync;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** {@code sync_runs}: one row per run, for operators. */
@ApplicationScoped
public class RunHistory {

    private static final String ABANDON_STALE = """
            UPDATE sync_runs SET status = 'abandoned', finished_at = now(),
                error = 'the process ended without finishing (killed or crashed); the next run resumed its work'
            WHERE status = 'running'
            """;
    private static final String ADD = """
            UPDATE sync_runs SET pages = pages + :pages, requests = requests + :requests,
                leads_read = leads_read + :leadsRead, inserted = inserted + :inserted, updated = updated + :updated,
                quarantined = quarantined + :quarantined
            WHERE id = :id
            """;
    private static final String ADD_ENTITY = """
            INSERT INTO sync_run_entities AS e (run_id, entity, pages, read, inserted, updated, quarantined, deleted,
                restored)
            VALUES (:id, :entity, :pages, :read, :inserted, :updated, :quarantined, :deleted, :restored)
            ON CONFLICT (run_id, entity) DO UPDATE SET pages = e.pages + EXCLUDED.pages, read = e.read + EXCLUDED.read,
                inserted = e.inserted + EXCLUDED.inserted, updated = e.updated + EXCLUDED.updated,
                quarantined = e.quarantined + EXCLUDED.quarantined, deleted = e.deleted + EXCLUDED.deleted,
                restored = e.restored + EXCLUDED.restored
            """;
    private static final String FINISH = """
            UPDATE sync_runs SET status = :status, finished_at = now(), error = :error,
                deleted = deleted + :deleted, restored = restored + :restored, requests = requests + :requests
            WHERE id = :id
            """;
    private static final String RANGE = "UPDATE sync_runs SET range_from = :from, range_to = :to WHERE id = :id";
    private static final String RUNNING = """
            SELECT id, CAST(started_at AS text), host, pid FROM sync_runs WHERE status = 'running' ORDER BY id DESC LIMIT 1
            """;

    /**
     * Records a new run. Only the holder of the run lock calls this, so any row still 'running' belongs to a process
     * that died: it is marked abandoned.
     */
    public Uni<SyncRun> start(String kind, String accessMode, Instant rangeFrom, Instant rangeTo) {
        SyncRun run = new SyncRun();
        run.status = "running";
        run.kind = kind;
        run.accessMode = accessMode;
        run.rangeFrom = rangeFrom;
        run.rangeTo = rangeTo;
        run.host = hostName();
        run.pid = ProcessHandle.current().pid();
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(ABANDON_STALE).executeUpdate())
                .chain(() -> run.persistAndFlush()))
                .replaceWith(run);
    }

    /** The range of {@code updated_at} the run reads, once amoCRM's clock has bounded it. */
    public Uni<Void> range(long runId, Instant from, Instant to) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(RANGE)
                .setParameter("from", from).setParameter("to", to).setParameter("id", runId).executeUpdate()))
                .replaceWithVoid();
    }

    /** Adds a committed page's counters to the run and to its entity's row; runs inside the page's transaction. */
    public Uni<Void> add(long runId, String entity, RunCounts counts) {
        return Panache.getSession().chain(session -> session.createNativeQuery(ADD)
                .setParameter("pages", counts.pages()).setParameter("requests", counts.requests())
                .setParameter("leadsRead", counts.leadsRead()).setParameter("inserted", counts.inserted())
                .setParameter("updated", counts.updated()).setParameter("quarantined", counts.quarantined())
                .setParameter("id", runId).executeUpdate()
                .chain(() -> entity(session, runId, entity, counts, 0, 0)))
                .replaceWithVoid();
    }

    /** Adds an entity's deletion counts (the run's totals are written when it finishes); inside their transaction. */
    public Uni<Void> deletions(long runId, String entity, int deleted, int restored) {
        return Panache.getSession().chain(session -> entity(session, runId, entity,
                new RunCounts(0, 0, 0, 0, 0, 0), deleted, restored)).replaceWithVoid();
    }

    private static Uni<Integer> entity(org.hibernate.reactive.mutiny.Mutiny.Session session, long runId, String entity,
            RunCounts counts, int deleted, int restored) {
        return session.createNativeQuery(ADD_ENTITY).setParameter("id", runId).setParameter("entity", entity)
                .setParameter("pages", counts.pages()).setParameter("read", counts.leadsRead())
                .setParameter("inserted", counts.inserted()).setParameter("updated", counts.updated())
                .setParameter("quarantined", counts.quarantined()).setParameter("deleted", deleted)
                .setParameter("restored", restored).executeUpdate();
    }

    /** Closes the run's row with its outcome; {@code error} must already be free of secrets. */
    public Uni<Void> finish(long runId, String status, String error, int deleted, int restored, int requests) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(FINISH)
                .setParameter("status", status).setParameter("error", error).setParameter("deleted", deleted)
                .setParameter("restored", restored).setParameter("requests", requests).setParameter("id", runId)
                .executeUpdate()))
                .replaceWithVoid();
    }

    /** The run holding the lock, as "#12 started 2025-11-10 12:00:00+00 on host (pid 4242)", when there is one. */
    public Uni<String> describeRunning() {
        return Panache.withSession(() -> Panache.getSession()
                .chain(session -> session.<Object[]> createNativeQuery(RUNNING).getSingleResultOrNull())
                .map(row -> row == null ? "another process"
                        : "run #" + row[0] + " started " + row[1] + " on " + row[2] + " (pid " + row[3] + ")"));
    }

    public Uni<SyncRun> find(long runId) {
        return Panache.withSession(() -> SyncRun.findById(runId));
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "unknown host";
            }
        }
        return host;
    }
}
