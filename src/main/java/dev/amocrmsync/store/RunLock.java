package dev.amocrmsync.store;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One sync at a time per database: a session-level PostgreSQL advisory lock held on a connection of its own for the
 * whole run. A killed process loses its connection, and PostgreSQL releases the lock by itself.
 */
@ApplicationScoped
public class RunLock {

    /** {@code "amocrmsy"} in ASCII: find the holder with {@code SELECT * FROM pg_locks WHERE locktype = 'advisory'}. */
    static final long KEY = 7_020_389_867_052_692_345L;

    // resolved on first use: without a configured database the pool bean is inactive, and `simulate` needs none
    private final Instance<Pool> pool;

    RunLock(Instance<Pool> pool) {
        this.pool = pool;
    }

    /** The held lock, or empty when another run holds it. */
    public Uni<Optional<Held>> tryAcquire() {
        return pool.get().getConnection().chain(connection -> connection
                .preparedQuery("SELECT pg_try_advisory_lock($1)").execute(Tuple.of(KEY))
                .map(rows -> rows.iterator().next().getBoolean(0))
                .chain(acquired -> acquired ? Uni.createFrom().item(Optional.of(new Held(connection)))
                        : connection.close().replaceWith(Optional.<Held> empty()))
                .onFailure().call(connection::close));
    }

    /** A held lock; {@link #release()} it when the run ends, however it ends. */
    public static final class Held {
        private final SqlConnection connection;

        private Held(SqlConnection connection) {
            this.connection = connection;
        }

        public Uni<Void> release() {
            return connection.preparedQuery("SELECT pg_advisory_unlock($1)").execute(Tuple.of(KEY))
                    .onFailure().recoverWithNull()
                    .eventually(connection::close)
                    .replaceWithVoid();
        }
    }
}
