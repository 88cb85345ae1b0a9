package dev.amocrmsync.sync;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One sync at a time per account (its schema): a session-level PostgreSQL advisory lock held on a connection of its own for the
 * whole run. A killed process loses its connection, and PostgreSQL releases the lock by itself. The other side of that
 * coin: if the connection dies under a live run (an idle timeout, a proxy), the lock is gone and a second run may
 * start. So the connection is kept busy, and the run {@linkplain Held#confirm() confirms} the lock before each commit
 * and stops when it is lost.
 */
@ApplicationScoped
public class RunLock {

    /**
     * The lock's two keys: {@code "amoc"} in ASCII, and the account's schema ({@code hashtext(current_schema())}), so
     * accounts in schemas of their own never block each other. Find the holder with
     * {@code SELECT * FROM pg_locks WHERE locktype = 'advisory' AND classid = 1634561891}.
     */
    public static final int KEY = 0x616D_6F63;
    private static final String TRY_LOCK = "SELECT pg_try_advisory_lock($1, hashtext(current_schema()))";
    private static final String UNLOCK = "SELECT pg_advisory_unlock($1, hashtext(current_schema()))";
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(20);
    private static final Duration PING_WITHIN = Duration.ofSeconds(10);

    private static final String HOLDER = """
            SELECT a.pid, COALESCE(host(a.client_addr), 'a local socket'), COALESCE(a.application_name, ''),
                   CAST(extract(epoch FROM now() - COALESCE(r.started_at, a.backend_start)) AS bigint),
                   COALESCE('run #' || r.id || ' started ' || r.started_at || ' on ' || r.host || ' (pid ' || r.pid || ')',
                            'a session with no sync run recorded')
            FROM pg_locks l
            JOIN pg_stat_activity a ON a.pid = l.pid
            LEFT JOIN LATERAL (SELECT id, started_at, host, pid FROM sync_runs WHERE status = 'running'
                               ORDER BY id DESC LIMIT 1) r ON true
            WHERE l.locktype = 'advisory' AND l.granted AND CAST(l.classid AS bigint) = $1
              AND CAST(l.objid AS bigint) = (CAST(hashtext(current_schema()) AS bigint) & 4294967295) AND l.objsubid = 2
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            LIMIT 1""";

    // resolved on first use: without a configured database the pool bean is inactive, and `simulate` needs none
    private final Instance<Pool> pool;
    private final Vertx vertx;

    RunLock(Instance<Pool> pool, Vertx vertx) {
        this.pool = pool;
        this.vertx = vertx;
    }

    /** The held lock, or empty when another run holds it. */
    public Uni<Optional<Held>> tryAcquire() {
        return pool.get().getConnection().chain(connection -> connection
                .preparedQuery(TRY_LOCK).execute(Tuple.of(KEY))
                .map(rows -> rows.iterator().next().getBoolean(0))
                .chain(acquired -> acquired ? Uni.createFrom().item(Optional.of(new Held(connection, vertx)))
                        : connection.close().replaceWith(Optional.<Held> empty()))
                .onFailure().call(connection::close));
    }

    /** Who holds the lock and for how long (by the database's clock), when anyone does. */
    public Uni<Optional<Holder>> holder() {
        return pool.get().preparedQuery(HOLDER).execute(Tuple.of((long) KEY))
                .map(rows -> rows.size() == 0 ? Optional.<Holder> empty() : Optional.of(holder(rows.iterator().next())));
    }

    private static Holder holder(Row row) {
        return new Holder(row.getInteger(0), row.getString(1), row.getString(2), Duration.ofSeconds(row.getLong(3)),
                row.getString(4));
    }

    /** The lock's holder: its database session, and the run recorded as running. */
    public record Holder(int pid, String client, String application, Duration heldFor, String run) {

        public String describe() {
            return run + "; database session pid " + pid + " from " + client
                    + (application.isBlank() ? "" : " (" + application + ")");
        }
    }

    /** A held lock; {@link #release()} it when the run ends, however it ends. */
    public static final class Held {
        private final SqlConnection connection;
        private final Vertx vertx;
        private final long keepAlive;
        private final AtomicReference<Throwable> lost = new AtomicReference<>();

        private Held(SqlConnection connection, Vertx vertx) {
            this.connection = connection;
            this.vertx = vertx;
            // an idle connection is what timeouts and proxies cut: a query now and then keeps it in use
            this.keepAlive = vertx.setPeriodic(KEEP_ALIVE.toMillis(), id -> ping().subscribe().with(ok -> {
            }, failure -> {
            }));
        }

        /** Fails with {@link RunLockLost} when the lock's connection is gone: the lock went with it. */
        public Uni<Void> confirm() {
            Throwable failure = lost.get();
            return failure != null ? Uni.createFrom().failure(new RunLockLost(failure))
                    : ping()
                            .onFailure().transform(RunLockLost::new);
        }

        private Uni<Void> ping() {
            // a connection that silently stopped answering (a failover) counts as lost, not as minutes of waiting
            return connection.query("SELECT 1").execute().replaceWithVoid()
                    .ifNoItem().after(PING_WITHIN).fail()
                    .onFailure().invoke(failure -> {
                        if (lost.compareAndSet(null, failure)) {
                            Log.errorf("The database connection holding the run lock failed (%s): the lock is gone;"
                                    + " this run stops before its next commit", failure.getMessage());
                        }
                    });
        }

        public Uni<Void> release() {
            vertx.cancelTimer(keepAlive);
            return connection.preparedQuery(UNLOCK).execute(Tuple.of(KEY))
                    .onFailure().recoverWithNull()
                    .eventually(connection::close)
                    .replaceWithVoid();
        }
    }
}
