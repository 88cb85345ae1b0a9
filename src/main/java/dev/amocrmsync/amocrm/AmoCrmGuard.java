package dev.amocrmsync.amocrm;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.Guard;

/**
 * The fault-tolerance policy of every amoCRM call, built from {@link AmoCrmConfig} so operators and tests can tune it:
 * retry only what is transient, back off exponentially with jitter, and open a circuit on a failing API.
 */
class AmoCrmGuard {

    static final String NAME = "amocrm";

    @Produces
    @Singleton
    @Identifier(NAME)
    Guard amoCrmGuard(AmoCrmConfig config, AmoCrmMetrics metrics) {
        AmoCrmConfig.Retry retry = config.retry();
        AmoCrmConfig.CircuitBreaker breaker = config.circuitBreaker();
        return Guard.create()
                .withDescription("amoCRM API")
                .withRetry()
                .maxRetries(retry.maxRetries())
                .maxDuration(retry.maxDuration().toMillis(), ChronoUnit.MILLIS)
                .retryOn(List.of(AmoCrmUnavailable.class, RateLimited.class))
                .withCustomBackoff().strategy(() -> new Backoff(retry)).done()
                .onRetry(metrics::retried)
                .done()
                .withCircuitBreaker()
                .name(NAME)
                .failOn(AmoCrmUnavailable.class)
                .requestVolumeThreshold(breaker.requestVolume())
                .failureRatio(breaker.failureRatio())
                .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                .done()
                .build();
    }

    /**
     * Exponential backoff with jitter (half fixed, half random) for failures; no extra delay after a 429, because
     * {@link RequestBudget} already
     * holds every caller back for the {@code retry_after} amoCRM asked for.
     */
    static final class Backoff implements CustomBackoffStrategy {
        private final AmoCrmConfig.Retry retry;
        private int failures;

        Backoff(AmoCrmConfig.Retry retry) {
            this.retry = retry;
        }

        @Override
        public long nextDelayInMillis(Throwable failure) {
            if (failure instanceof RateLimited) {
                return 0;
            }
            long ceiling = Math.min(retry.maxDelay().toMillis(), retry.initialDelay().toMillis() << Math.min(failures++, 20));
            return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        }
    }
}
