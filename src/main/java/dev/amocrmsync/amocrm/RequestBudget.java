package dev.amocrmsync.amocrm;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The requests-per-second budget shared by every call this process makes to the account, so the sync never earns a
 * 429 on its own. Callers reserve a slot and wait for it on a Vert.x timer, which keeps them on their Vert.x context
 * (Hibernate Reactive needs that after the call).
 */
@ApplicationScoped
public class RequestBudget {

    private final Bucket bucket;
    private final double requestsPerSecond;
    private final Vertx vertx;

    public RequestBudget(AmoCrmConfig config, Vertx vertx) {
        this.vertx = vertx;
        this.requestsPerSecond = config.requestsPerSecond();
        // capacity 1: requests are evenly spaced, never a burst, so no sliding one-second window sees more than the limit
        long spacingNanos = (long) (TimeUnit.SECONDS.toNanos(1) / requestsPerSecond);
        this.bucket = Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(1).refillGreedy(1, Duration.ofNanos(spacingNanos)).build())
                .build();
    }

    /** Completes when this caller may send its request. */
    public Uni<Void> acquire() {
        long waitNanos = bucket.consumeIgnoringRateLimits(1);
        if (waitNanos <= 0) {
            return Uni.createFrom().voidItem();
        }
        long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos));
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(waitMillis, id -> emitter.complete(null)));
    }

    /** Pushes every caller back after amoCRM said 429 with this delay. */
    public void pauseFor(Duration retryAfter) {
        long tokens = (long) Math.ceil(retryAfter.toMillis() / 1000.0 * requestsPerSecond);
        if (tokens > 0) {
            bucket.consumeIgnoringRateLimits(tokens);
        }
    }
}
