package dev.amocrmsync.amocrm;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.amocrmsync.store.RequestSlots;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;

/**
 * The account's request budget: requests leave evenly spaced at the {@link Pace}, which starts at
 * {@code amocrm.requests-per-second} (6, under amoCRM's 7 with room for the network's jitter) and adapts to 429s.
 * Whatever the timers do, any eight requests of this process leave at least seven intervals of that pace apart
 * ({@link EightSpan}), counted from when each was written to its connection where the client reports it
 * ({@link #acquireUntilWritten()}, {@link #departures()}): a request held up between the budget and the socket holds
 * the next ones back instead of landing beside them.
 * <p>
 * With a database, the spacing is per account, not per process: every process on the database (the CronJob's sync,
 * serve's webhook re-fetches and token keep-alive) takes its slots from {@link RequestSlots}, on the database's clock.
 * Without one (the session service, {@code simulate}), or when the database does not answer, this process spaces its own
 * requests with a bucket4j bucket of capacity 1. Callers wait on a Vert.x timer on their own context, which keeps them
 * on it (Hibernate Reactive needs that after the call).
 */
@ApplicationScoped
public class RequestBudget {

    /**
     * Later than this after its shared slot, a request takes another slot rather than crowd the next one (another
     * process's, which this process's {@link EightSpan} does not see): at 6/s seven intervals are 1.17 s, 50 ms of it
     * go to the jitter of two arrivals, 20 ms may go to a late timer, the rest to the way out.
     */
    private static final Duration MISSED_AFTER = Duration.ofMillis(20);

    private final Pace pace;
    private final Bucket local;
    private final Vertx vertx;
    private final RequestSlots shared;
    private final String account;
    private final AtomicBoolean warnedSharedFailed = new AtomicBoolean();
    private volatile double pacedAt;
    private final AtomicLong lastDispatch = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(10));
    private final EightSpan eightSpan;
    // moves on every 429: a request that waited for its slot meanwhile got it at the old pace, before the pause
    private final AtomicLong throttles = new AtomicLong();
    // this process, as the shared budget tells holders apart
    private final String holder = ProcessHandle.current().pid() + "@" + java.util.UUID.randomUUID();

    /** A budget of this process alone. */
    public RequestBudget(AmoCrmConfig config, Vertx vertx) {
        this(config, vertx, null);
    }

    @Inject
    public RequestBudget(AmoCrmConfig config, Vertx vertx, RequestSlots slots) {
        this.vertx = vertx;
        this.pace = new Pace(config.requestsPerSecond());
        this.pacedAt = pace.current();
        this.local = Bucket.builder().addLimit(evenlySpaced(pacedAt)).build();
        // a request's connection is opened within the connect timeout or never: it stops counting as on its way after it
        this.eightSpan = new EightSpan(pace.target(), config.connectTimeout().plusSeconds(1));
        boolean sharing = slots != null && slots.available() && AccountUrl.problems(config).isEmpty();
        this.shared = sharing ? slots : null;
        this.account = sharing ? AccountUrl.of(config).toString() : null;
    }

    /**
     * Completes, on the caller's context, when this caller may send its request; a slot per subscription. The request
     * counts as sent at once: for a client that cannot tell when it really left.
     */
    public Uni<Void> acquire() {
        return Uni.createFrom().deferred(() -> reserve(0, false));
    }

    /**
     * As {@link #acquire()}, for a request whose HTTP client reports the moment its connection writes it
     * ({@link #departures()}): until then it counts as leaving at every moment, so a request held up between the
     * budget and the socket (a busy event loop, a connection being opened, a pause of the JVM) holds the next ones back
     * instead of landing beside them.
     */
    public Uni<Void> acquireUntilWritten() {
        return Uni.createFrom().deferred(() -> reserve(0, true));
    }

    /**
     * For the HTTP client's request customizer: each request reports here when its first bytes are flushed to its
     * connection (requests let go by {@link #acquireUntilWritten()}).
     */
    public Consumer<HttpClientRequest> departures() {
        return request -> Departures.watch(request, () -> {
            long onTheWay = eightSpan.departed();
            if (onTheWay >= 0) {
                Log.debugf("Request written %.1f ms after the budget let it go", onTheWay / 1e6);
            }
        });
    }

    private Uni<Void> reserve(int missed, boolean reportsDeparture) {
        Context caller = Vertx.currentContext();
        long throttledBefore = throttles.get();
        return slot(caller, missed).chain(() -> eightApart(caller, reportsDeparture))
                // a 429 arrived while this request waited: its slot predates the pause, so it takes a new one
                .chain(() -> throttles.get() == throttledBefore ? Uni.createFrom().voidItem()
                        : reserve(missed, reportsDeparture));
    }

    /** Leaves once fewer than seven requests left or are leaving within seven intervals ({@link EightSpan}). */
    private Uni<Void> eightApart(Context caller, boolean reportsDeparture) {
        Duration wait = eightSpan.take(reportsDeparture);
        return wait.isZero() ? Uni.createFrom().voidItem()
                : waitOn(caller, wait).chain(() -> eightApart(caller, reportsDeparture));
    }

    private Uni<Void> slot(Context caller, int missed) {
        if (shared == null) {
            return alone(caller);
        }
        return shared.reserve(account, interval(), holder)
                .onFailure().recoverWithItem(failure -> {
                    if (warnedSharedFailed.compareAndSet(false, true)) {
                        Log.warnf("The shared request budget in PostgreSQL failed (%s); pacing this process alone",
                                failure.getMessage());
                    }
                    return null;
                })
                .chain(slot -> slot == null ? alone(caller) : onSlot(caller, slot, missed));
    }

    private Uni<Void> alone(Context caller) {
        return waitOn(caller, localSlot()).chain(() -> spacedFromTheLast(caller));
    }

    /**
     * Waits for a shared slot. The slots of all processes are evenly spaced; a request sent well after its slot (a
     * timer firing late on a busy event loop, a JVM still warming up) would land next to another process's next one,
     * and eight could then arrive within a second. So a slot missed by more than {@link #MISSED_AFTER} is given up and
     * another reserved; after a few misses in a row the request goes anyway rather than starve. Only while the
     * account's slots are shared with another process: alone, {@link EightSpan} is the guard, and a slot given up
     * would leave the budget idle for an interval or two.
     */
    private Uni<Void> onSlot(Context caller, RequestSlots.Slot slot, int missed) {
        long due = System.nanoTime() + slot.delay().toNanos();
        // alone on the account, a late timer costs nothing: EightSpan keeps this process's requests apart
        return waitOn(caller, slot.delay()).chain(() -> slot.shared() && System.nanoTime() - due > MISSED_AFTER.toNanos()
                && missed < 3 ? slot(caller, missed + 1) : Uni.createFrom().voidItem());
    }

    /**
     * A timer that fires late (a busy event loop) sends its request close to the next one: whatever the bucket said,
     * this process's requests leave at least nine tenths of an interval apart, so no two crowd each other, and
     * {@link EightSpan} keeps any eight a whole seven intervals apart. The tenth left over absorbs the usual few
     * milliseconds of lateness, which would otherwise push every later request back by as much and slow the whole run.
     */
    private Uni<Void> spacedFromTheLast(Context caller) {
        long now = System.nanoTime();
        long gap = interval().toNanos() * 9 / 10;
        long at = lastDispatch.updateAndGet(last -> Math.max(now, last + gap));
        return waitOn(caller, Duration.ofNanos(at - now));
    }

    /**
     * amoCRM said 429, in any form (a Retry-After header, {@code retry_after} in JSON, or an HTML page with neither,
     * which arrives here as the default pause): every caller of the account waits {@code retryAfter}, and the pace
     * halves. Completes once the pause is recorded, so a retry cannot slip in before it.
     */
    public Uni<Void> throttled(Duration retryAfter) {
        double before = pace.current();
        repace(pace.throttled());
        if (pace.current() < before) {
            Log.warnf("amoCRM answered 429: pacing at %.2f requests/s (was %.2f), pausing %d ms", pace.current(), before,
                    retryAfter.toMillis());
        }
        long tokens = (long) Math.ceil(retryAfter.toNanos() / (double) interval().toNanos());
        if (tokens > 0) {
            local.consumeIgnoringRateLimits(tokens);
        }
        throttles.incrementAndGet();
        return shared == null ? Uni.createFrom().voidItem()
                : shared.pause(account, retryAfter).onFailure().invoke(failure -> Log.debugf(
                        "The shared pause was not recorded: %s", failure.getMessage())).onFailure().recoverWithNull()
                        // and once more when recorded: a slot taken before that predates it
                        .invoke(() -> throttles.incrementAndGet());
    }

    /** amoCRM answered without a 429: the pace wins a little back. */
    public void answered() {
        repace(pace.answered());
    }

    /** The pace now, requests per second. */
    public double requestsPerSecond() {
        return pace.current();
    }

    private Duration interval() {
        return Duration.ofNanos((long) (TimeUnit.SECONDS.toNanos(1) / pace.current()));
    }

    private Duration localSlot() {
        return Duration.ofNanos(local.consumeIgnoringRateLimits(1));
    }

    private void repace(double rate) {
        // the bucket is rebuilt only when the pace moved by a percent: recovery takes many small steps
        if (Math.abs(rate - pacedAt) >= pacedAt / 100) {
            pacedAt = rate;
            local.replaceConfiguration(BucketConfiguration.builder().addLimit(evenlySpaced(rate)).build(),
                    TokensInheritanceStrategy.AS_IS);
        }
    }

    /** Capacity 1: no burst, so no sliding second sees more than the pace. */
    private static Bandwidth evenlySpaced(double requestsPerSecond) {
        long spacingNanos = (long) (TimeUnit.SECONDS.toNanos(1) / requestsPerSecond);
        return Bandwidth.builder().capacity(1).refillGreedy(1, Duration.ofNanos(spacingNanos)).build();
    }

    private Uni<Void> waitOn(Context caller, Duration wait) {
        // rounded up: a timer that fires a fraction of a millisecond early would shorten the spacing
        long millis = (wait.toNanos() + 999_999) / 1_000_000;
        if (millis <= 0) {
            return caller == null || Vertx.currentContext() == caller ? Uni.createFrom().voidItem()
                    : Uni.createFrom().emitter(emitter -> caller.runOnContext(ignored -> emitter.complete(null)));
        }
        return Uni.createFrom().emitter(emitter -> {
            long timer = vertx.setTimer(millis, id -> {
                if (caller == null) {
                    emitter.complete(null);
                } else {
                    caller.runOnContext(ignored -> emitter.complete(null));
                }
            });
            emitter.onTermination(() -> vertx.cancelTimer(timer));
        });
    }
}
