package dev.amocrmsync.amocrm;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The send slots of one amoCRM account, shared by every process on the same database: each reservation moves the
 * account's next free slot one interval on, in one statement, and says how long to wait for the slot it took. Times are
 * the database's ({@code clock_timestamp()}), never a host's, so processes on hosts whose clocks differ still take
 * slots an interval apart. Runs on a connection of its own, outside any Hibernate Reactive session.
 * <p>
 * It fails rather than stalls (V17): a statement waits at most half a second for the budget's row (a transaction
 * holding it used to hold every request back), and an answer that takes longer than {@link #ANSWER_WITHIN} is given up
 * here (a database that is slow or gone); the caller then paces its process alone. No slot and no pause reaches further
 * than {@code longest} ahead, whatever the row says.
 */
@ApplicationScoped
public class RequestSlots {

    /** How long a reservation may take before the process stops waiting for it. */
    public static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);

    private static final String RESERVE = "SELECT wait_seconds, shared, processes FROM amocrm_request_slot($1, $2, $3, $4)";
    private static final String PAUSE = "SELECT amocrm_request_pause($1, $2, $3)";

    // resolved on first use: without a configured database the pool bean is inactive (session-service, simulate)
    private final Supplier<Pool> pool;
    private final boolean configured;

    @Inject
    RequestSlots(Instance<Pool> pool, @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url) {
        this(pool::get, url.filter(u -> !u.isBlank()).isPresent());
    }

    private RequestSlots(Supplier<Pool> pool, boolean configured) {
        this.pool = pool;
        this.configured = configured;
    }

    /** The slots on this pool, for a process (or a test playing one) that manages its own. */
    public static RequestSlots on(Pool pool) {
        return new RequestSlots(() -> pool, true);
    }

    /** Whether this process has a database to share the budget through. */
    public boolean available() {
        return configured;
    }

    /**
     * A slot taken: how long to wait for it, whether another process has been taking slots of the account, and how many
     * processes (this one included) took slots within the last ten minutes.
     */
    public record Slot(Duration delay, boolean shared, int processes) {
    }

    /**
     * Takes the account's next slot for {@code holder} (a process), {@code interval} after the one before and never
     * more than {@code longest} from now.
     */
    public Uni<Slot> reserve(String account, Duration interval, String holder, Duration longest) {
        return pool.get().withConnection(connection -> connection.preparedQuery(RESERVE)
                .execute(Tuple.of(account, seconds(interval), holder, seconds(longest))))
                .ifNoItem().after(ANSWER_WITHIN).failWith(() -> new IllegalStateException(
                        "no answer within " + ANSWER_WITHIN.toMillis() + " ms"))
                .map(rows -> rows.iterator().next())
                .map(row -> new Slot(Duration.ofNanos((long) (row.getDouble(0) * 1e9)), row.getBoolean(1),
                        row.getInteger(2)));
    }

    /**
     * No slot of the account starts sooner than {@code pause} from now, nor later than {@code longest} from now: amoCRM
     * said 429 to one of its processes.
     */
    public Uni<Void> pause(String account, Duration pause, Duration longest) {
        return pool.get().withConnection(connection -> connection.preparedQuery(PAUSE)
                .execute(Tuple.of(account, seconds(pause), seconds(longest))))
                .ifNoItem().after(ANSWER_WITHIN).failWith(() -> new IllegalStateException(
                        "no answer within " + ANSWER_WITHIN.toMillis() + " ms"))
                .replaceWithVoid();
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
