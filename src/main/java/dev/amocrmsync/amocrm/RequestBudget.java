package dev.amocrmsync.amocrm;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

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
    /**
     * The longest pause anything may impose, whatever asked for it (a proxy's {@code Retry-After: 3600}, a slot the
     * database holds far ahead): amoCRM's own pauses are seconds, and an hour's stall of every process is worse than a
     * retry that earns another 429.
     */
    public static final Duration LONGEST_PAUSE = Duration.ofSeconds(60);
    /** After the shared budget failed, how long this process paces itself alone before asking the database again. */
    private static final Duration ALONE_FOR = Duration.ofSeconds(5);
    /** amoCRM's limit inside any sliding second. */
    private static final int AMOCRM_PER_SECOND = 7;
    /** How often the warning is repeated while the shared budget fails. */
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private final Pace pace;
    private final Bucket local;
    private final Vertx vertx;
    private final RequestSlots shared;
    private final String account;
    // the shared budget failed: until then this process paces itself alone, at its share of the pace
    private volatile long aloneUntil = System.nanoTime();
    private volatile boolean fellBack;
    private volatile int processesSeen = 1;
    private final AtomicLong sharedFailures = new AtomicLong();
    private final AtomicLong warnedAt = new AtomicLong(System.nanoTime() - WARN_EVERY.toNanos());
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
        this.account = sharing ? AccountUrl.key(config) : null;
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
        if (shared == null || System.nanoTime() - aloneUntil < 0) {
            return alone(caller);
        }
        return shared.reserve(account, interval(), holder, LONGEST_PAUSE)
                .onFailure().recoverWithItem(failure -> {
                    sharedFailed(failure);
                    return null;
                })
                .chain(slot -> slot == null ? alone(caller) : onSlot(caller, sharedAnswered(slot), missed));
    }

    /**
     * The shared budget failed (the database refused, did not answer within a second, or its row is locked): this
     * process paces itself alone, and not at the whole pace, for the account's other processes may be doing the same:
     * at its share ({@link #localRate(double)}) of the processes that took slots within the last ten minutes, two at
     * least. It asks the database again after {@link #ALONE_FOR}. Said in a metric and, while it lasts, once a minute
     * in the log.
     */
    private void sharedFailed(Throwable failure) {
        sharedFailures.incrementAndGet();
        aloneUntil = System.nanoTime() + ALONE_FOR.toNanos();
        if (!fellBack) {
            fellBack = true;
            repace(pace.current());
        }
        long now = System.nanoTime();
        long last = warnedAt.get();
        if (now - last >= WARN_EVERY.toNanos() && warnedAt.compareAndSet(last, now)) {
            Log.warnf("The shared request budget in PostgreSQL failed (%s): pacing this process alone at %.2f"
                    + " requests/s, its share of the account's %.2f (%d processes counted: the ones seen within 10 minutes,"
                    + " two at least)."
                    + " Check that the database answers and that no session holds a lock on amocrm_request_budget;"
                    + " this repeats every minute while it lasts", failure.getMessage(), localRate(), pace.current(),
                    Math.max(2, processesSeen));
        }
    }

    private RequestSlots.Slot sharedAnswered(RequestSlots.Slot slot) {
        processesSeen = Math.max(1, slot.processes());
        if (fellBack) {
            fellBack = false;
            repace(pace.current());
            Log.infof("The shared request budget in PostgreSQL answers again: pacing with the account's other processes");
        }
        // a slot never further than the longest pause, whatever the database said
        return slot.delay().compareTo(LONGEST_PAUSE) > 0
                ? new RequestSlots.Slot(LONGEST_PAUSE, slot.shared(), slot.processes())
                : slot;
    }

    /** Whether this process paces itself alone because the shared budget failed (a gauge: 1 while it does). */
    public boolean pacingAloneAfterAFailure() {
        return fellBack;
    }

    /** Reservations of the shared budget that failed so far (a counter). */
    public long sharedBudgetFailures() {
        return sharedFailures.get();
    }

    /** Requests per second this process's own bucket lets go: the pace, or its share while the shared budget fails. */
    public double localRate() {
        return localRate(pace.current());
    }

    /**
     * The whole pace, or while the shared budget fails this process's share of it: of the 7 requests amoCRM allows in
     * a second, the whole ones that fall to it when the processes seen share them (at least two: the others may have
     * lost the database too), spread evenly over seven intervals of the pace. Two processes: 3 in every 1.17 s (2.57/s
     * at 6/s), so both together never make more than 6 in a second, whatever their timers do; three: 2 (1.71/s).
     */
    private double localRate(double paceNow) {
        if (!fellBack) {
            return paceNow;
        }
        int share = AMOCRM_PER_SECOND / Math.max(2, processesSeen);
        return Math.max(Pace.FLOOR, paceNow * share / AMOCRM_PER_SECOND);
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
        long gap = (long) (TimeUnit.SECONDS.toNanos(1) / localRate()) * 9 / 10;
        long at = lastDispatch.updateAndGet(last -> Math.max(now, last + gap));
        return waitOn(caller, Duration.ofNanos(at - now));
    }

    /**
     * amoCRM said 429, in any form (a Retry-After header, {@code retry_after} in JSON, or an HTML page with neither,
     * which arrives here as the default pause): every caller of the account waits {@code retryAfter}, and the pace
     * halves. Completes once the pause is recorded, so a retry cannot slip in before it.
     */
    public Uni<Void> throttled(Duration asked) {
        Duration retryAfter = asked.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : asked;
        double before = pace.current();
        repace(pace.throttled());
        if (pace.current() < before) {
            Log.warnf("amoCRM answered 429: pacing at %.2f requests/s (was %.2f), pausing %d ms", pace.current(), before,
                    retryAfter.toMillis());
        }
        long tokens = (long) Math.ceil(retryAfter.toNanos() / 1e9 * localRate());
        if (tokens > 0) {
            local.consumeIgnoringRateLimits(tokens);
        }
        throttles.incrementAndGet();
        return shared == null ? Uni.createFrom().voidItem()
                : shared.pause(account, retryAfter, LONGEST_PAUSE).onFailure().invoke(this::sharedFailed)
                        .onFailure().recoverWithNull()
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

    private void repace(double paceNow) {
        double rate = localRate(paceNow);
        // the bucket is rebuilt only when its rate moved by a percent: recovery takes many small steps
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
