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
 */
@ApplicationScoped
public class RequestSlots {

    // another holder taking a slot marks the budget shared for the next two seconds of slots
    private static final String RESERVE = """
            INSERT INTO amocrm_request_budget AS budget (account_url, next_slot, holder)
            VALUES ($1, clock_timestamp() + make_interval(secs => $2), $3)
            ON CONFLICT (account_url) DO UPDATE
                SET next_slot = greatest(budget.next_slot, clock_timestamp()) + make_interval(secs => $2),
                    holder = $3,
                    shared_until = CASE WHEN budget.holder IS DISTINCT FROM $3
                        THEN greatest(budget.next_slot, clock_timestamp()) + make_interval(secs => $2 + 2)
                        ELSE budget.shared_until END
            RETURNING greatest(0, extract(epoch FROM budget.next_slot - clock_timestamp()) - $2),
                      coalesce(budget.shared_until > clock_timestamp(), false)""";
    private static final String PAUSE = """
            INSERT INTO amocrm_request_budget AS budget (account_url, next_slot)
            VALUES ($1, clock_timestamp() + make_interval(secs => $2))
            ON CONFLICT (account_url) DO UPDATE
                SET next_slot = greatest(budget.next_slot, clock_timestamp() + make_interval(secs => $2))""";

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

    /** A slot taken: how long to wait for it, and whether another process has been taking slots of the account. */
    public record Slot(Duration delay, boolean shared) {
    }

    /** Takes the account's next slot for {@code holder} (a process), {@code interval} after the one before. */
    public Uni<Slot> reserve(String account, Duration interval, String holder) {
        return pool.get().withConnection(connection -> connection.preparedQuery(RESERVE)
                .execute(Tuple.of(account, seconds(interval), holder)))
                .map(rows -> rows.iterator().next())
                .map(row -> new Slot(Duration.ofNanos((long) (row.getDouble(0) * 1e9)), row.getBoolean(1)));
    }

    /** No slot of the account starts sooner than {@code pause} from now: amoCRM said 429 to one of its processes. */
    public Uni<Void> pause(String account, Duration pause) {
        return pool.get().withConnection(connection -> connection.preparedQuery(PAUSE)
                .execute(Tuple.of(account, seconds(pause))))
                .replaceWithVoid();
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
